/**
 * Every seed code, in its documented log form, enriched through the real SDK (LoggerProvider →
 * PlatformErrorProcessor → SimpleLogRecordProcessor → InMemoryLogRecordExporter).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/core/catalog/loadCatalog.ts';
import { Pipeline } from '../helpers/sdk.ts';
import { seeds } from '../helpers/seeds.ts';

const catalog = loadCatalog();
const pipeline = new Pipeline();
afterAll(() => pipeline.shutdown());

/** The attributes the catalog says a code must get. */
function expected(platform: string, code: string) {
  const entry = catalog.get(platform, code);
  if (!entry) throw new Error(`${platform} ${code} missing from the catalog`);
  return {
    'error.type': code,
    platform,
    category: entry.category,
    platform_fault: entry.platform_fault,
    remedy_url: entry.remedy_url,
  };
}

describe('Heroku: the seed page’s own example lines', () => {
  const seed = seeds.heroku.codes;
  const lines = seed.flatMap(({ code, lines }) => lines.map((line) => [code, line] as const));

  it('covers every seed code that has an example, and the one that has none', () => {
    expect(new Set(lines.map(([code]) => code)).size + 1).toBe(seed.length);
    expect(seed.filter((s) => s.lines.length === 0).map((s) => s.code)).toEqual(['R99']);
  });

  it.each(lines)('%s: %s', (code, line) => {
    expect(pipeline.emit(line).attributes).toEqual(expected('heroku', code));
  });

  it('R99 (no example on the page) in the runtime form of its family', () => {
    const line = '2011-05-03T17:40:11+00:00 heroku[web.1]: Error R99 (Platform error)';
    expect(pipeline.emit(line).attributes).toEqual(expected('heroku', 'R99'));
  });
});

describe('Fly.io: every seed code as `fly logs` prints proxy errors', () => {
  it.each(seeds.fly.codes.map((s) => [s.code, s.message ?? s.title ?? ''] as const))('%s', (code, text) => {
    const message = catalog.get('fly', code)?.messages?.[0]?.replace(/\{[^}]*\}/g, '42') ?? text.toLowerCase();
    const line = `2026-05-11T14:59:02Z proxy[e2862692b79d68] sin [error][${code}] ${message}`;
    expect(pipeline.emit(line).attributes).toEqual(expected('fly', code));
  });

  it('and as the NATS / fly-log-shipper JSON body', () => {
    const body = {
      event: { provider: 'proxy' },
      fly: { app: { instance: '3287e4e1c60d98', name: 'shop' }, region: 'ams' },
      log: { level: 'error' },
      message: '[PC01] instance refused connection. is your app listening on 0.0.0.0:8080?',
      timestamp: '2026-05-11T14:59:02Z',
    };
    expect(pipeline.emit(body).attributes).toEqual(expected('fly', 'PC01'));
  });
});

describe('Cloudflare: every seed failure reason in a List Health Check Events item', () => {
  it.each(seeds.cloudflare.reasons.map((r) => [r.heading, r.id] as const))('%s', (reason, id) => {
    const event = {
      id: 1,
      timestamp: '2026-03-04T10:15:22Z',
      pool: { id: '17b5962d775c646f3f9725cbc7a53df4', name: 'eu-west', healthy: false, changed: true },
      origins: [
        { name: 'app-1', address: '203.0.113.10', healthy: true, failure_reason: 'No failures' },
        { name: 'app-2', address: '203.0.113.11', healthy: false, changed: true, failure_reason: reason },
      ],
    };
    expect(pipeline.emit(event).attributes).toEqual(expected('cloudflare', id));
  });

  it.each(seeds.cloudflare.api_examples.map((a) => [a.code, a] as const))(
    'API error %s: the page’s own example response, as one line and pretty-printed',
    (code, { heading, envelope }) => {
      const entry = catalog.lookup(String(code))[0];
      expect(entry?.title).toBe(heading);
      // error.type is the number Cloudflare printed; what it means comes from the entry it maps to.
      const want = { ...expected('cloudflare', entry?.code ?? ''), 'error.type': String(code) };
      expect(pipeline.emit(JSON.stringify(envelope)).attributes).toEqual(want);
      expect(pipeline.emit(envelope).attributes).toEqual(want);
    },
  );
});
