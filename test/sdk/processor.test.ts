import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type LogRecordProcessor,
  type ReadWriteLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { PlatformErrorProcessor } from '../../src/processor/PlatformErrorProcessor.ts';
import { collectDiag } from '../helpers/diag.ts';
import { Pipeline } from '../helpers/sdk.ts';

const H12 =
  '2010-10-06T21:51:37-07:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path="/" host=myapp.herokuapp.com fwd=17.17.17.17 dyno=web.1 connect=6ms service=30001ms status=503 bytes=0';
const H80 =
  '2010-10-06T21:51:07-07:00 heroku[router]: at=info code=H80 desc="Maintenance mode" method=GET path=/ host=myapp.herokuapp.com fwd=17.17.17.17 dyno= connect= service= status=503 bytes=';
const H99 = 'at=error code=H99 desc="Platform error" method=GET path=/ host=myapp.herokuapp.com status=503 bytes=';

const reported = collectDiag();

describe('attributes', () => {
  it('writes the code, platform, category, fault and link by default, and nothing else', () => {
    const { attributes } = new Pipeline().emit(H12);
    expect(attributes).toEqual({
      'error.type': 'H12',
      platform: 'heroku',
      category: 'timeout',
      platform_fault: false,
      remedy_url: 'https://devcenter.heroku.com/articles/error-codes#h12-request-timeout',
    });
  });

  it('never overwrites an attribute the record already has, unless asked', () => {
    expect(new Pipeline().emit(H12, { category: 'mine' }).attributes.category).toBe('mine');
    expect(new Pipeline({ overwrite: true }).emit(H12, { category: 'mine' }).attributes.category).toBe('timeout');
  });

  it('takes configurable key names, and null turns a key off', () => {
    const pipeline = new Pipeline({
      attributes: { code: 'heroku.error.code', remedyUrl: null, platformFault: 'fault' },
    });
    const { attributes } = pipeline.emit(H12);
    expect(attributes).toEqual({ 'heroku.error.code': 'H12', platform: 'heroku', category: 'timeout', fault: false });
  });

  it('adds the router request fields as semantic-convention attributes when asked', () => {
    expect(new Pipeline().emit(H12).attributes['http.request.method']).toBeUndefined();
    expect(new Pipeline({ extractFields: true }).emit(H12).attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/',
      'server.address': 'myapp.herokuapp.com',
      'client.address': '17.17.17.17',
      'http.response.status_code': 503,
      'heroku.router.connect_ms': 6,
      'heroku.router.service_ms': 30001,
      'heroku.dyno': 'web.1',
    });
  });

  it('marks well-formed codes the catalog does not list', () => {
    const { attributes } = new Pipeline().emit('at=error code=H45 desc="Something new" method=GET path=/ status=503');
    expect(attributes).toMatchObject({ 'error.type': 'H45', platform: 'heroku', 'platform_error.listed': false });
    expect(attributes.remedy_url).toBe('https://devcenter.heroku.com/articles/error-codes');
  });

  it('is idempotent: enriching twice is enriching once', () => {
    const exporter = new InMemoryLogRecordExporter();
    const inner = new PlatformErrorProcessor({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const provider = new LoggerProvider({ processors: [new PlatformErrorProcessor({ processors: [inner] })] });
    provider.getLogger('t').emit({ body: H12 });
    expect(exporter.getFinishedLogRecords()[0]?.attributes).toEqual(new Pipeline().emit(H12).attributes);
  });

  it('only recognises the platforms it is given', () => {
    const pipeline = new Pipeline({ platforms: ['fly'] });
    expect(pipeline.emit(H12).attributes).toEqual({});
    expect(pipeline.emit('[error][PC01] instance refused connection').attributes.platform).toBe('fly');
  });

  it('applies user catalogs over the built-in one', () => {
    const pipeline = new Pipeline({
      catalogs: [{ platform: 'heroku', entries: [{ code: 'H12', remedy_url: 'https://runbooks.example.com/h12' }] }],
    });
    expect(pipeline.emit(H12).attributes.remedy_url).toBe('https://runbooks.example.com/h12');
  });

  it('uses the resource as a hint: it frames an unlisted code as the platform’s own', () => {
    const pipeline = new Pipeline();
    const line = 'Error R45 (Dyno lease lost)';
    expect(pipeline.emit(line).attributes).toEqual({});
    expect(pipeline.emit(line, {}, { 'cloud.provider': 'heroku' }).attributes).toMatchObject({
      'error.type': 'R45',
      'platform_error.listed': false,
    });
  });

  it('does not take a bare phrase for a failure reason because the resource is Cloudflare', () => {
    const pipeline = new Pipeline();
    expect(pipeline.emit('TCP connection failed', {}, { 'cloud.provider': 'cloudflare' }).attributes).toEqual({});
  });
});

describe('structured loggers (pino, winston): a logged object’s fields are attributes', () => {
  const pipeline = new Pipeline();
  afterAll(() => pipeline.shutdown());

  it.each([
    ['Heroku router fields', { at: 'error', code: 'H12', desc: 'Request timeout' }, 'H12'],
    [
      'a Cloudflare API error object',
      { success: false, errors: [{ code: 9109, message: 'Invalid access token' }] },
      '9109',
    ],
    [
      'a Cloudflare health event item',
      { healthy: false, failure_reason: 'TCP connection failed' },
      'tcp-connection-failed',
    ],
    ['a Logpush record', { EdgeResponseStatus: 522, OriginResponseStatus: 0 }, '522'],
  ])('recognises %s in the attributes of a record whose body is the message', (_name, attributes, code) => {
    expect(pipeline.emit('request failed', attributes).attributes['error.type']).toBe(code);
    expect(pipeline.emit(undefined, attributes).attributes['error.type']).toBe(code);
  });

  it.each([
    ['an application error code', { code: 'E11000', desc: 'duplicate key' }],
    ['a code alone', { code: 'H12' }],
    ['another vendor’s envelope', { success: false, errors: [{ code: 20, message: 'Authentication failure' }] }],
    ['a healthy origin', { healthy: true, failure_reason: 'No failures' }],
  ])('keeps the precision rules of bodies: %s is left alone', (_name, attributes) => {
    const written = pipeline.emit('request failed', attributes).attributes;
    expect(written).toEqual(attributes);
  });
});

describe('severity', () => {
  it('is left alone by default', () => {
    expect(new Pipeline().emit(H12).record.severityNumber).toBeUndefined();
  });

  it('is raised to the catalog level when asked, never lowered', () => {
    const pipeline = new Pipeline({ adjustSeverity: true });
    expect(pipeline.emit(H12).record).toMatchObject({ severityNumber: 17, severityText: 'ERROR' });
    expect(pipeline.emit(H80).record).toMatchObject({ severityNumber: 9, severityText: 'INFO' });
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [
        new PlatformErrorProcessor({ adjustSeverity: true, processors: [new SimpleLogRecordProcessor({ exporter })] }),
      ],
    });
    provider.getLogger('t').emit({ body: H80, severityNumber: 21, severityText: 'FATAL' });
    expect(exporter.getFinishedLogRecords()[0]).toMatchObject({ severityNumber: 21, severityText: 'FATAL' });
  });
});

describe('routing', () => {
  function setup() {
    const all = new InMemoryLogRecordExporter();
    const matched = new InMemoryLogRecordExporter();
    const faults = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [
        new PlatformErrorProcessor({
          processors: [new SimpleLogRecordProcessor({ exporter: all })],
          matchedProcessors: [new SimpleLogRecordProcessor({ exporter: matched })],
          platformFaultProcessors: [new SimpleLogRecordProcessor({ exporter: faults })],
        }),
      ],
    });
    const logger = provider.getLogger('t');
    for (const body of [H12, H99, 'GET / 200', H80]) logger.emit({ body });
    const codes = (e: InMemoryLogRecordExporter) =>
      e.getFinishedLogRecords().map((r) => r.attributes['error.type'] ?? '-');
    return { all: codes(all), matched: codes(matched), faults: codes(faults), provider };
  }

  it('sends every record downstream, matched ones and platform faults also to their own processors', () => {
    const { all, matched, faults } = setup();
    expect(all).toEqual(['H12', 'H99', '-', 'H80']);
    expect(matched).toEqual(['H12', 'H99', 'H80']);
    expect(faults).toEqual(['H99']);
  });

  it('gives each downstream processor every record once, and flushes and shuts it down once', async () => {
    const calls: string[] = [];
    const probe: LogRecordProcessor = {
      onEmit: () => calls.push('emit'),
      forceFlush: async () => {
        calls.push('flush');
      },
      shutdown: async () => {
        calls.push('shutdown');
      },
    };
    const processor = new PlatformErrorProcessor({ processors: [probe], platformFaultProcessors: [probe] });
    const provider = new LoggerProvider({ processors: [processor] });
    provider.getLogger('t').emit({ body: H99 });
    await provider.forceFlush();
    await provider.shutdown();
    await processor.shutdown();
    expect(calls).toEqual(['emit', 'flush', 'shutdown']);
  });

  it('has no opinion on enabled() without downstream processors, and asks them otherwise', () => {
    const options = { context: {} as never, instrumentationScope: { name: 't' } };
    expect(new PlatformErrorProcessor().enabled(options)).toBe(false);
    const noisy: LogRecordProcessor = {
      onEmit() {},
      forceFlush: async () => {},
      shutdown: async () => {},
      enabled: () => true,
    };
    expect(new PlatformErrorProcessor({ processors: [noisy] }).enabled(options)).toBe(true);
  });
});

describe('never breaks the host app', () => {
  it('passes a record it cannot examine on unchanged and reports through diag', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('boom');
        },
      },
    );
    const pipeline = new Pipeline();
    const { attributes } = pipeline.emit(hostile);
    expect(attributes).toEqual({});
    expect(reported.some((m) => m.includes('failed to examine'))).toBe(true);
  });

  it('keeps feeding other processors when one downstream throws', () => {
    const exporter = new InMemoryLogRecordExporter();
    const thrower: LogRecordProcessor = {
      onEmit() {
        throw new Error('downstream bug');
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const provider = new LoggerProvider({
      processors: [new PlatformErrorProcessor({ processors: [thrower, new SimpleLogRecordProcessor({ exporter })] })],
    });
    expect(() => provider.getLogger('t').emit({ body: H12 })).not.toThrow();
    expect(exporter.getFinishedLogRecords()).toHaveLength(1);
    expect(reported.some((m) => m.includes('threw in onEmit'))).toBe(true);
  });

  it('reports once through diag when the SDK attribute limit drops its attributes', () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      logRecordLimits: { attributeCountLimit: 2 },
      processors: [new PlatformErrorProcessor({ processors: [new SimpleLogRecordProcessor({ exporter })] })],
    });
    for (let i = 0; i < 3; i++) provider.getLogger('t').emit({ body: H12, attributes: { a: 1, b: 2 } });
    expect(exporter.getFinishedLogRecords()[0]?.attributes).toEqual({ a: 1, b: 2 });
    expect(reported.filter((m) => m.includes('attribute count limit'))).toHaveLength(1);
  });

  it('notices, once, when another processor is registered in front of it', () => {
    const exporter = new InMemoryLogRecordExporter();
    const wrong = new LoggerProvider({
      processors: [new SimpleLogRecordProcessor({ exporter }), new PlatformErrorProcessor()],
    });
    const right = new LoggerProvider({
      processors: [new PlatformErrorProcessor({ processors: [new SimpleLogRecordProcessor({ exporter })] })],
    });
    for (let i = 0; i < 3; i++) right.getLogger('t').emit({ body: H12 });
    expect(reported.filter((m) => m.includes('registered in front of it'))).toHaveLength(0);
    for (let i = 0; i < 3; i++) wrong.getLogger('t').emit({ body: H12 });
    expect(reported.filter((m) => m.includes('registered in front of it'))).toHaveLength(1);
  });

  it('does nothing after shutdown', async () => {
    const seen: ReadWriteLogRecord[] = [];
    const processor = new PlatformErrorProcessor({
      processors: [{ onEmit: (r) => seen.push(r), forceFlush: async () => {}, shutdown: async () => {} }],
    });
    await processor.shutdown();
    const provider = new LoggerProvider({ resource: resourceFromAttributes({}), processors: [processor] });
    provider.getLogger('t').emit({ body: H12 });
    expect(seen).toEqual([]);
  });
});

describe('self-metrics', () => {
  it('counts matches by platform, code and fault when a MeterProvider is given', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const pipeline = new Pipeline({ meterProvider });
    for (const body of [H12, H12, H99, 'GET / 200']) pipeline.emit(body);
    await reader.forceFlush();
    const metric = exporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .find((m) => m.descriptor.name === 'platform_errors.matched');
    const points = (metric?.dataPoints ?? []).map((p) => ({ ...p.attributes, value: p.value }));
    expect(points).toEqual(
      expect.arrayContaining([
        { platform: 'heroku', 'error.type': 'H12', platform_fault: false, value: 2 },
        { platform: 'heroku', 'error.type': 'H99', platform_fault: true, value: 1 },
      ]),
    );
    expect(points).toHaveLength(2);
    await meterProvider.shutdown();
  });
});
