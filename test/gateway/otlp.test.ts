/**
 * POST /v1/logs: the real OTel OTLP exporters (http/protobuf and http/json, gzip) send to the
 * gateway, which enriches the records in place and forwards them to a real receiver.
 */
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExportLogsServiceResponse, Status } from '../../src/gateway/receivers/otlp/otlpLogsProto.ts';
import { post, type Running, startGateway } from '../helpers/gateway.ts';

let running: Running;
const TOKEN = 'otlp-secret';

beforeAll(async () => {
  running = await startGateway({ token: TOKEN });
});
afterAll(() => running.stop());
beforeEach(() => {
  running.downstream.records.length = 0;
  running.downstream.behaviour = {};
});

/** An app's SDK pipeline exporting to the gateway with the given exporter. */
async function sendThroughSdk(exporter: JsonExporter | ProtoExporter) {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'fir-app', 'cloud.provider': 'heroku' }),
    processors: [new BatchLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('router-logs', '1.2.3');
  logger.emit({
    body: 'at=error code=H12 desc="Request timeout" method=GET path="/" status=503',
    attributes: { 'http.route': '/' },
    severityNumber: 17,
    severityText: 'ERROR',
  });
  logger.emit({ body: { event: 'signup', plan: 'pro', count: 3, ratio: 0.5, tags: ['a', 'b'] } });
  provider.getLogger('other').emit({ body: 'Error R14 (Memory quota exceeded)' });
  await provider.shutdown();
}

const options = (compression?: CompressionAlgorithm) => ({
  url: `${running.url}/v1/logs`,
  headers: { authorization: `Bearer ${TOKEN}` },
  ...(compression ? { compression } : {}),
});

describe.each([
  ['http/protobuf', () => new ProtoExporter(options())],
  ['http/json', () => new JsonExporter(options())],
  ['http/protobuf with gzip', () => new ProtoExporter(options(CompressionAlgorithm.GZIP))],
])('%s in', (_name, exporter) => {
  it('enriches the records in place and keeps resources, scopes, severities and structured bodies', async () => {
    await sendThroughSdk(exporter());
    const records = running.downstream.records;
    expect(records).toHaveLength(3);
    const [h12, signup, r14] = records;
    expect(h12).toMatchObject({
      body: 'at=error code=H12 desc="Request timeout" method=GET path="/" status=503',
      severityNumber: 17,
      severityText: 'ERROR',
      scope: { name: 'router-logs', version: '1.2.3' },
    });
    expect(h12?.attributes).toMatchObject({ 'http.route': '/', 'error.type': 'H12', category: 'timeout' });
    expect(h12?.resource).toMatchObject({ 'service.name': 'fir-app', 'cloud.provider': 'heroku' });
    expect(signup?.body).toEqual({ event: 'signup', plan: 'pro', count: 3, ratio: 0.5, tags: ['a', 'b'] });
    expect(signup?.attributes).toEqual({});
    expect(r14?.scope.name).toBe('other');
    expect(r14?.attributes['error.type']).toBe('R14');
    expect(h12?.timeUnixNano).toMatch(/^1[0-9]{18}$/);
  });
});

describe('answers', () => {
  it('an ExportLogsServiceResponse in protobuf, {} in JSON; partial success for entries that are not records', async () => {
    const proto = await post(`${running.url}/v1/logs`, Buffer.alloc(0), {
      'content-type': 'application/x-protobuf',
      authorization: `Bearer ${TOKEN}`,
    });
    expect(proto.status).toBe(200);
    expect(proto.headers['content-type']).toBe('application/x-protobuf');
    expect(ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(proto.bytes))).toEqual({});
    const json = await post(
      `${running.url}/v1/logs`,
      JSON.stringify({
        resourceLogs: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'raw' } }] },
            scopeLogs: [
              {
                scope: { name: 'raw' },
                logRecords: [
                  {
                    timeUnixNano: '1764496800000000000',
                    body: { stringValue: '[PC01] instance refused connection. is your app listening on 0.0.0.0:8080?' },
                    traceId: '5b8efff798038103d269b633813fc60c',
                    spanId: 'eee19b7ec3c1b174',
                  },
                  'not a record',
                ],
              },
            ],
          },
        ],
      }),
      { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    );
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body)).toEqual({
      partialSuccess: { rejectedLogRecords: 1, errorMessage: '1 entries were not log records' },
    });
    expect(running.downstream.records).toHaveLength(1);
    expect(running.downstream.records[0]).toMatchObject({
      timeUnixNano: '1764496800000000000',
      traceId: '5b8efff798038103d269b633813fc60c',
      attributes: { 'error.type': 'PC01', platform: 'fly' },
    });
  });

  it('a downstream failure: 503 with Retry-After and a google.rpc.Status body, which the exporter retries', async () => {
    running.downstream.behaviour = { status: 400 };
    const answer = await post(`${running.url}/v1/logs`, Buffer.alloc(0), {
      'content-type': 'application/x-protobuf',
      authorization: `Bearer ${TOKEN}`,
    });
    // An empty request has no records to forward: it is accepted even now.
    expect(answer.status).toBe(200);
    const exporter = new ProtoExporter({ ...options(), timeoutMillis: 3000 });
    const result = await new Promise<{ code: number; error?: Error }>((resolve) => {
      exporter.export(
        [
          {
            hrTime: [1764496800, 0],
            hrTimeObserved: [1764496800, 0],
            body: 'Error R14 (Memory quota exceeded)',
            attributes: {},
            droppedAttributesCount: 0,
            resource: resourceFromAttributes({}),
            instrumentationScope: { name: 'x' },
          } as never,
        ],
        resolve,
      );
    });
    expect(result.code).toBe(1);
    const raw = await post(
      `${running.url}/v1/logs`,
      JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }] }] }] }),
      { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    );
    expect(raw.status).toBe(503);
    expect(raw.headers['retry-after']).toMatch(/^[0-9]+$/);
    expect(JSON.parse(raw.body)).toMatchObject({ code: 503 });
  });

  it('400 with a Status for a body that is not OTLP, 415 for another content type, 401 without the token', async () => {
    const garbage = await post(`${running.url}/v1/logs`, Buffer.from([0xff, 0xff, 0xff, 0x01]), {
      'content-type': 'application/x-protobuf',
      authorization: `Bearer ${TOKEN}`,
    });
    expect(garbage.status).toBe(400);
    expect(Status.toObject(Status.decode(garbage.bytes)).code).toBe(400);
    expect(
      (await post(`${running.url}/v1/logs`, '{}', { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` }))
        .status,
    ).toBe(415);
    expect((await post(`${running.url}/v1/logs`, '{}', { 'content-type': 'application/json' })).status).toBe(401);
  });
});
