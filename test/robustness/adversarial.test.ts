/**
 * Hostile records: 1 MB and 10 MB single-line bodies, fragments repeated to tempt backtracking,
 * 10,000-level nesting as JSON text and as objects, huge arrays, bodies that throw when read.
 * Only results are asserted; how long each emit took is printed for the record (benchmarks own
 * timing), so a frozen event loop would show up here as a test timeout.
 */

import { DiagLogLevel } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { collectDiag } from '../helpers/diag.ts';
import { Pipeline } from '../helpers/sdk.ts';
import { nest } from './arbitraries.ts';

const DEFAULT_SCAN = 16_384;
const MB = 1024 * 1024;

const H12 = ' at=error code=H12 desc="Request timeout" method=GET path="/" status=503';
const H12_FOUND = { 'error.type': 'H12', platform: 'heroku', category: 'timeout' };
const PC01 = ' [error][PC01] instance refused connection';
const PC01_FOUND = { 'error.type': 'PC01', platform: 'fly' };
const ORIGIN_EVENT = ' {"pool":"p","origins":[{"healthy":false,"failure_reason":"TCP connection failed"}]}';
const TCP_FOUND = { 'error.type': 'tcp-connection-failed', platform: 'cloudflare' };

const errors = collectDiag(DiagLogLevel.ERROR);

const pipeline = new Pipeline();
const durations: string[] = [];

/** Emits through the default pipeline (or another) and notes how long the emit took. */
function enrich(body: unknown, label: string, through: Pipeline = pipeline): Record<string, unknown> {
  const start = performance.now();
  const { attributes } = through.emit(body);
  durations.push(`${label}: ${(performance.now() - start).toFixed(1)} ms`);
  return attributes;
}

/** Deterministic pseudo-random text (xorshift) over an alphabet rich in the recognisers' trigger characters. */
function randomText(length: number, seed = 0x9e3779b9): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzHRLPE0123456789 =[](){}:"|-_.,\\\t';
  const chars = new Array<string>(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    chars[i] = alphabet[(state >>> 0) % alphabet.length] as string;
  }
  return chars.join('');
}

const repeated = (fragment: string, length: number) => fragment.repeat(Math.ceil(length / fragment.length));

/** Filler that none of the recognisers reacts to. */
const filler = (length: number) => 'x'.repeat(length);

describe('1 MB and 10 MB single-line bodies', () => {
  const bodies: Array<[string, (length: number) => string]> = [
    ['random text', (n) => randomText(n)],
    ['code=', (n) => repeated(' code=', n)],
    ['code=H12 at=error', (n) => repeated(' at=error code=H12', n)],
    ['[P', (n) => repeated('[P', n)],
    ['[error][PC0', (n) => repeated('[error][PC0', n)],
    ['proxy[…] [error]', (n) => `${repeated('proxy[0123abcd] sin [error] ', n)}\nx`],
    ['Error R', (n) => repeated('Error R', n)],
    ['Error R14 (', (n) => repeated('Error R14 (', n)],
    ['failure_reason', (n) => repeated('failure_reason', n)],
    ['failure_reason=" healthy', (n) => repeated('failure_reason=" healthy ', n)],
    ['{', (n) => repeated('{', n)],
    ['{"a":', (n) => repeated('{"a":', n)],
    ['"success":false', (n) => `{${repeated('"success":false,', n)}`],
    ['| Origin - | Pool - ', (n) => repeated('| Origin - a | Pool - ', n)],
    ['Ray ID cf-ray (1002)', (n) => `${repeated('Ray ID cf-ray status=5', n)} (1002)`],
  ];

  for (const size of [MB, 10 * MB]) {
    const sizeLabel = `${size / MB} MB`;
    it.each(bodies)(`${sizeLabel} of %s: no throw, and the same result as its scanned prefix`, (label, make) => {
      const body = make(size);
      const attributes = enrich(body, `${sizeLabel} ${label}`);
      expect(errors).toEqual([]);
      expect(attributes).toEqual(enrich(body.slice(0, DEFAULT_SCAN), `${label} prefix`));
    });
  }

  it('finds a code at the start of a 10 MB line, and keeps the body as it was', () => {
    const body = `heroku[router]:${H12}${filler(10 * MB)}`;
    const start = performance.now();
    const { record, attributes } = pipeline.emit(body);
    durations.push(`10 MB line starting with a code: ${(performance.now() - start).toFixed(1)} ms`);
    expect(attributes).toMatchObject(H12_FOUND);
    expect(record.body).toBe(body);
  });
});

describe('only the first maxScanLength characters of a string body are scanned', () => {
  const lines: Array<[string, string, Record<string, unknown>]> = [
    ['a Heroku router line', `heroku[router]:${H12}`, H12_FOUND],
    ['a Fly proxy line', PC01, PC01_FOUND],
    ['a Cloudflare health-check event', ORIGIN_EVENT, TCP_FOUND],
  ];

  describe.each(lines)('%s', (_name, line, found) => {
    it('is found when it ends exactly at the limit', () => {
      const body = filler(DEFAULT_SCAN - line.length) + line;
      expect(enrich(body, 'line ending at the limit')).toMatchObject(found);
    });

    it('is not found when it starts at the limit', () => {
      expect(enrich(filler(DEFAULT_SCAN) + line, 'line starting at the limit')).toEqual({});
    });

    it('follows a custom maxScanLength', () => {
      const short = new Pipeline({ maxScanLength: 1000 });
      expect(enrich(filler(1000 - line.length) + line, 'custom limit, inside', short)).toMatchObject(found);
      expect(enrich(filler(1000) + line, 'custom limit, beyond', short)).toEqual({});
    });
  });

  it('treats a maxScanLength that is not a number as the default, not as "scan everything"', () => {
    const unset = new Pipeline({ maxScanLength: Number(undefined) });
    expect(enrich(filler(DEFAULT_SCAN) + H12, 'maxScanLength NaN', unset)).toEqual({});
  });

  it('also bounds the message of a structured body', () => {
    const body = { message: filler(10 * MB) + H12, 'syslog.appname': 'heroku' };
    expect(enrich(body, '10 MB message field')).toEqual({});
  });
});

describe('deep nesting', () => {
  const reason = { healthy: false, failure_reason: 'TCP connection failed' };
  const jsonNest = (depth: number) => `${'{"a":'.repeat(depth)}${JSON.stringify(reason)}${'}'.repeat(depth)}`;

  it('a 10,000-level JSON text: no throw; the reason lies beyond the scanned prefix', () => {
    expect(enrich(jsonNest(10_000), '10,000-level JSON text')).toEqual({});
  });

  it('a 10,000-level JSON text scanned whole (maxScanLength 1e6): the reason is found next to healthy=false', () => {
    const whole = new Pipeline({ maxScanLength: 1_000_000 });
    expect(enrich(jsonNest(10_000), '10,000-level JSON text, scanned whole', whole)).toMatchObject(TCP_FOUND);
  });

  it('a 2,000-level JSON text that fits the prefix: the reason is found', () => {
    expect(enrich(jsonNest(2_000), '2,000-level JSON text')).toMatchObject(TCP_FOUND);
  });

  it('objects and arrays 100,000 levels deep: no throw, nothing found where no shape matches', () => {
    expect(enrich(nest(reason, 100_000), '100,000-level object')).toEqual({});
    expect(enrich(nest({ message: `heroku[router]:${H12}` }, 100_000, 'data'), '100,000-level object')).toEqual({});
    let array: unknown = [reason];
    for (let i = 0; i < 100_000; i++) array = [array];
    expect(enrich(array, '100,000-level array')).toEqual({});
    expect(errors).toEqual([]);
  });

  it('the shapes it knows are still read at the top of a deep object', () => {
    expect(enrich({ ...reason, nested: nest(reason, 100_000) }, 'reason beside a deep object')).toMatchObject(
      TCP_FOUND,
    );
  });
});

describe('huge structures: only a bounded part is walked', () => {
  const healthy = { healthy: true, failure_reason: 'TCP connection failed' };
  const failing = { healthy: false, failure_reason: 'TCP connection failed' };
  const originsWithFailureAt = (index: number, length: number) =>
    Array.from({ length }, (_, i) => (i === index ? failing : healthy));

  it('a failing origin among the first 100 is found', () => {
    expect(enrich({ origins: originsWithFailureAt(50, 1_000_000) }, '1,000,000 origins, failure at 50')).toMatchObject(
      TCP_FOUND,
    );
  });

  it('a failing origin after the first 100 is not looked at', () => {
    expect(enrich({ origins: originsWithFailureAt(150, 1_000_000) }, '1,000,000 origins, failure at 150')).toEqual({});
  });

  it('an object with 1,000,000 keys is read only by name', () => {
    const wide: Record<string, unknown> = Object.fromEntries(Array.from({ length: 1_000_000 }, (_, i) => [`k${i}`, i]));
    wide.message = `heroku[router]:${H12}`;
    expect(enrich(wide, '1,000,000-key object')).toMatchObject(H12_FOUND);
  });
});

describe('bodies that throw when read', () => {
  it('a body whose every access throws: emit does not throw, the record is exported unchanged, diag.error reports it', () => {
    const trap = () => {
      throw new Error('hostile body');
    };
    const body = new Proxy(
      {},
      { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap },
    );
    const { record, attributes } = pipeline.emit(body);
    expect(record.body).toBe(body);
    expect(attributes).toEqual({});
    expect(errors).toEqual([expect.stringContaining('otel-platform-errors')]);
  });

  it('a message getter that throws', () => {
    const body = {
      get message(): string {
        throw new Error('hostile getter');
      },
    };
    expect(pipeline.emit(body).attributes).toEqual({});
    expect(errors).toEqual([expect.stringContaining('otel-platform-errors')]);
  });
});

afterAll(async () => {
  process.stdout.write(`\nadversarial emit durations (not asserted):\n  ${durations.join('\n  ')}\n`);
  await pipeline.shutdown();
});
