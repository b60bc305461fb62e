/**
 * logRecordProcessorsFromEnv(): the processors NodeSDK builds from OTEL_LOGS_EXPORTER and the
 * OTLP variables, put behind the enricher — exported over real HTTP to a receiver on loopback.
 */
import { DiagLogLevel } from '@opentelemetry/api';
import { BatchLogRecordProcessor, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { logRecordProcessorsFromEnv } from '../../src/processor/logRecordProcessorsFromEnv.ts';
import { PlatformErrorProcessor } from '../../src/processor/PlatformErrorProcessor.ts';
import { collectDiag } from '../helpers/diag.ts';
import { OtlpReceiver } from '../helpers/otlpReceiver.ts';

const receiver = new OtlpReceiver();
const saved = { ...process.env };
const warnings = collectDiag(DiagLogLevel.WARN);
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});
afterAll(() => receiver.stop());

describe('logRecordProcessorsFromEnv', () => {
  it('builds the OTLP exporter the environment names, and the enricher sits in front of it', async () => {
    process.env.OTEL_LOGS_EXPORTER = 'otlp';
    process.env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL = 'http/json';
    process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT = await receiver.start();
    process.env.OTEL_BLRP_SCHEDULE_DELAY = '10';
    const processors = logRecordProcessorsFromEnv();
    expect(processors).toHaveLength(1);
    expect(processors[0]).toBeInstanceOf(BatchLogRecordProcessor);
    const provider = new LoggerProvider({ processors: [new PlatformErrorProcessor({ processors })] });
    provider.getLogger('env').emit({ body: 'heroku[web.1]: Error R14 (Memory quota exceeded)' });
    await provider.shutdown();
    expect(receiver.records.map((r) => [r.contentType, r.attributes['error.type']])).toEqual([
      ['application/json', 'R14'],
    ]);
  });

  it('defaults to otlp, honours none, console and lists, and warns about values it does not know', () => {
    expect(logRecordProcessorsFromEnv()).toHaveLength(1);
    process.env.OTEL_LOGS_EXPORTER = 'none';
    expect(logRecordProcessorsFromEnv()).toEqual([]);
    process.env.OTEL_LOGS_EXPORTER = 'console, otlp, console';
    const processors = logRecordProcessorsFromEnv();
    expect(processors.map((p) => p.constructor)).toEqual([SimpleLogRecordProcessor, BatchLogRecordProcessor]);
    process.env.OTEL_LOGS_EXPORTER = 'zipkin';
    expect(logRecordProcessorsFromEnv()).toEqual([]);
    expect(warnings.some((w) => w.includes('"zipkin"'))).toBe(true);
  });
});
