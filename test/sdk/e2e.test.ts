/**
 * End to end: the real LoggerProvider, BatchLogRecordProcessor and OTLPLogExporter (http/json and
 * http/protobuf) send over real HTTP to a receiver on loopback that decodes the payload.
 */
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformErrorProcessor } from '../../src/processor/PlatformErrorProcessor.ts';
import { OtlpReceiver } from '../helpers/otlpReceiver.ts';

const LINES: Array<{ body: unknown; expect: Record<string, unknown> | undefined }> = [
  {
    body: '2010-10-06T21:51:37-07:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/" host=myapp.herokuapp.com fwd=17.17.17.17 dyno=web.1 connect=6ms service=30001ms status=503 bytes=0',
    expect: {
      'error.type': 'H12',
      platform: 'heroku',
      category: 'timeout',
      platform_fault: false,
      remedy_url: 'https://devcenter.heroku.com/articles/error-codes#h12-request-timeout',
    },
  },
  {
    body: '2011-05-03T17:40:11+00:00 heroku[worker.1]: Error R14 (Memory quota exceeded)',
    expect: { 'error.type': 'R14', platform: 'heroku', category: 'memory', platform_fault: false },
  },
  {
    body: '2010-10-06T21:51:07-07:00 heroku[router]: at=error code=H99 desc="Platform error" method=GET path=/ host=myapp.herokuapp.com fwd=17.17.17.17 dyno= connect= service= status=503 bytes=',
    expect: { 'error.type': 'H99', platform: 'heroku', category: 'internal', platform_fault: true },
  },
  {
    body: '2026-05-11T14:59:02Z proxy[e2862692b79d68] sin [error][PC01] instance refused connection. is your app listening on 0.0.0.0:8080?',
    expect: {
      'error.type': 'PC01',
      platform: 'fly',
      platform_fault: false,
      remedy_url: 'https://fly.io/docs/monitoring/error-codes/#pc01-machine-refused-connection-on-port',
    },
  },
  {
    body: {
      event: { provider: 'proxy' },
      fly: { app: { name: 'shop' }, region: 'ams' },
      log: { level: 'error' },
      message:
        '[PR03] could not find a good candidate within 90 attempts at load balancing. last error: [PM05] failed to connect to machine: gave up after 15 attempts (in 8.1s)',
    },
    expect: { 'error.type': 'PR03', platform: 'fly', 'platform_error.cause': 'PM05' },
  },
  {
    body: {
      id: 1,
      pool: { name: 'eu-west', healthy: false },
      origins: [{ name: 'app-2', healthy: false, failure_reason: 'TCP connection failed' }],
    },
    expect: {
      'error.type': 'tcp-connection-failed',
      platform: 'cloudflare',
      category: 'connection',
      platform_fault: false,
      remedy_url:
        'https://developers.cloudflare.com/load-balancing/troubleshooting/common-error-codes/#tcp-connection-failed',
    },
  },
  {
    body: '{"result":null,"success":false,"errors":[{"code":1002,"message":"interval is not in range [0, 0]: validation failed"}],"messages":[]}',
    expect: { 'error.type': '1002', platform: 'cloudflare' },
  },
  { body: 'GET /health 200 3ms', expect: undefined },
];

const receivers: OtlpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

async function receiver(): Promise<[OtlpReceiver, string]> {
  const r = new OtlpReceiver();
  receivers.push(r);
  return [r, await r.start()];
}

describe.each([
  ['http/json', (url: string) => new JsonExporter({ url }), 'application/json'],
  ['http/protobuf', (url: string) => new ProtoExporter({ url }), 'application/x-protobuf'],
] as const)('over OTLP %s', (_encoding, makeExporter, contentType) => {
  it('the decoded payload carries the attributes, for lines of every platform', async () => {
    const [received, url] = await receiver();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'e2e' }),
      processors: [
        new PlatformErrorProcessor({ processors: [new BatchLogRecordProcessor({ exporter: makeExporter(url) })] }),
      ],
    });
    const logger = provider.getLogger('e2e');
    for (const line of LINES)
      logger.emit({ body: line.body as string, attributes: { 'app.line': LINES.indexOf(line) } });
    await provider.shutdown();

    expect(received.requests.length).toBeGreaterThan(0);
    expect(received.requests.every((r) => r.path === '/v1/logs' && r.contentType.startsWith(contentType))).toBe(true);
    expect(received.records).toHaveLength(LINES.length);
    for (const record of received.records) {
      const line = LINES[record.attributes['app.line'] as number];
      if (line?.expect) expect(record.attributes).toMatchObject(line.expect);
      else expect(Object.keys(record.attributes)).toEqual(['app.line']);
      expect(record.resource['service.name']).toBe('e2e');
    }
    // Booleans travel as booleans (Loki stringifies them to "true"/"false").
    const h99 = received.records.find((r) => r.attributes['error.type'] === 'H99');
    expect(h99?.attributes.platform_fault).toBe(true);
    expect(received.records.find((r) => r.attributes['error.type'] === 'PR03')?.body).toMatchObject({
      log: { level: 'error' },
    });
  });

  it('routes platform faults to a separate exporter, and only them', async () => {
    const [all, allUrl] = await receiver();
    const [faults, faultsUrl] = await receiver();
    const provider = new LoggerProvider({
      processors: [
        new PlatformErrorProcessor({
          processors: [new BatchLogRecordProcessor({ exporter: makeExporter(allUrl) })],
          platformFaultProcessors: [new BatchLogRecordProcessor({ exporter: makeExporter(faultsUrl) })],
        }),
      ],
    });
    for (const line of LINES) provider.getLogger('e2e').emit({ body: line.body as string });
    await provider.shutdown();
    expect(all.records).toHaveLength(LINES.length);
    expect(faults.records.map((r) => r.attributes['error.type'])).toEqual(['H99']);
  });
});
