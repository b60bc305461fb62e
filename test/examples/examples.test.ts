/**
 * Every example under examples/ runs as a real process against an OTLP receiver on loopback (the
 * smoke test CI runs), and what it exports carries our attributes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver } from '../helpers/otlpReceiver.ts';

const run = promisify(execFile);
const main = new OtlpReceiver();
const pager = new OtlpReceiver();
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const endpoint = (await main.start()).replace(/\/v1\/logs$/, '');
  env = { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, PAGER_OTLP_URL: await pager.start() };
});
afterAll(async () => {
  await Promise.all([main.stop(), pager.stop()]);
});

/** Runs an example and returns what the main receiver got from it. */
async function runExample(path: string) {
  const before = main.records.length;
  const { stdout } = await run(process.execPath, [path], { env, timeout: 30_000 });
  return { stdout, records: main.records.slice(before) };
}

const codes = (records: Array<{ attributes: Record<string, unknown> }>) =>
  records.map((r) => r.attributes['error.type']);

describe('examples', () => {
  it('plain: LoggerProvider + processor + OTLP exporter', async () => {
    const { stdout, records } = await runExample('examples/plain/app.mjs');
    expect(stdout).toContain('sent 5 records');
    expect(codes(records)).toEqual([undefined, 'H12', 'R14', 'PC01', '1002']);
    expect(records[0]?.resource['service.name']).toBe('plain-example');
  });

  it('nodesdk: NodeSDK with logRecordProcessors', async () => {
    const { records } = await runExample('examples/nodesdk/app.mjs');
    expect(codes(records)).toEqual(['H10', undefined]);
    expect(records[0]?.resource['service.name']).toBe('nodesdk-example');
  });

  it('pino: through @opentelemetry/instrumentation-pino, loaded with require()', async () => {
    const { records } = await runExample('examples/pino/app.cjs');
    expect(codes(records)).toEqual(['PR04', 'H12', undefined]);
    expect(records[0]?.attributes.platform).toBe('fly');
    expect(records[1]?.attributes).toMatchObject({ platform: 'heroku', code: 'H12', category: 'timeout' });
  });

  it('winston: through @opentelemetry/winston-transport', async () => {
    const { records } = await runExample('examples/winston/app.mjs');
    expect(codes(records)).toEqual(['tcp-connection-failed', '81057', undefined]);
    expect(records[1]?.attributes).toMatchObject({ platform: 'cloudflare', category: 'dns' });
  });

  it('routing: platform faults also reach their own exporter', async () => {
    const pagedBefore = pager.records.length;
    const { records } = await runExample('examples/routing/app.mjs');
    expect(codes(records)).toEqual(['H99', 'H12', 'PU03']);
    expect(codes(pager.records.slice(pagedBefore))).toEqual(['H99', 'PU03']);
  });
});
