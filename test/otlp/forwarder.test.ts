/**
 * The Forwarder with the real OTLP exporter over HTTP: batching across callers, acknowledgement
 * only once the receiver accepted, failures and deadlines, back-pressure, and a final flush.
 */
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ForwardError, Forwarder } from '../../src/otlp/Forwarder.ts';
import { OtlpReceiver } from '../helpers/otlpReceiver.ts';

const receiver = new OtlpReceiver();
let url: string;
beforeAll(async () => {
  url = await receiver.start();
});
afterAll(() => receiver.stop());
beforeEach(() => {
  receiver.records.length = 0;
  receiver.requests.length = 0;
  receiver.behaviour = {};
});

const resource = resourceFromAttributes({ 'service.name': 'forwarder-test' });
const records = (n: number, prefix = 'r'): ReadableLogRecord[] =>
  Array.from(
    { length: n },
    (_, i) =>
      ({
        hrTime: [1764496800, i],
        hrTimeObserved: [1764496800, i],
        body: `${prefix}${i}`,
        attributes: {},
        droppedAttributesCount: 0,
        resource,
        instrumentationScope: { name: 'test' },
      }) as unknown as ReadableLogRecord,
  );

const forwarder = (options: Partial<ConstructorParameters<typeof Forwarder>[0]> = {}) =>
  new Forwarder({ exporter: new OTLPLogExporter({ url, timeoutMillis: 2000 }), lingerMillis: 10, ...options });

describe('Forwarder', () => {
  it('batches the records of many callers into few requests and acknowledges each caller once they arrived', async () => {
    const f = forwarder({ maxBatchSize: 100 });
    const pushes = Array.from({ length: 10 }, (_, i) => f.push(records(25, `c${i}-`)));
    await Promise.all(pushes);
    expect(receiver.records).toHaveLength(250);
    expect(receiver.requests.length).toBeLessThanOrEqual(4);
    expect(f.queued).toBe(0);
    await f.shutdown();
  });

  it('rejects a push whose batch failed downstream, and marks itself unhealthy until an export succeeds', async () => {
    const f = forwarder();
    receiver.behaviour = { status: 400 };
    await expect(f.push(records(3))).rejects.toMatchObject({ reason: 'export' });
    expect(f.healthy).toBe(false);
    receiver.behaviour = {};
    await f.push(records(1));
    expect(f.healthy).toBe(true);
    await f.shutdown();
  });

  it('rejects a push not acknowledged within its deadline, and drops its records that were not sent yet', async () => {
    const f = forwarder({ maxBatchSize: 2, maxConcurrentExports: 1 });
    receiver.behaviour = { delayMillis: 400 };
    const slow = f.push(records(6), 100);
    await expect(slow).rejects.toBeInstanceOf(ForwardError);
    await expect(slow).rejects.toMatchObject({ reason: 'deadline' });
    receiver.behaviour = {};
    await f.flush();
    // Only the batch already in flight when the deadline passed reached the receiver.
    expect(receiver.records.length).toBeLessThan(6);
    expect(f.queued).toBe(0);
    await f.shutdown();
  });

  it('refuses records beyond its queue (back-pressure) and says when there is room again', async () => {
    const f = forwarder({ maxBatchSize: 5, maxQueueSize: 10, maxConcurrentExports: 1 });
    receiver.behaviour = { delayMillis: 200 };
    const first = f.push(records(10));
    await expect(f.push(records(1))).rejects.toMatchObject({ reason: 'full' });
    expect(f.hasRoom(1)).toBe(false);
    await f.room();
    expect(f.hasRoom(1)).toBe(true);
    await first;
    receiver.behaviour = {};
    await f.shutdown();
  });

  it('drops what a caller that gave up had queued: cancelled, and never sent', async () => {
    const f = forwarder({ lingerMillis: 10_000, maxBatchSize: 1000 });
    const gaveUp = new AbortController();
    const pending = f.push(records(5, 'abandoned'), undefined, gaveUp.signal);
    gaveUp.abort();
    await expect(pending).rejects.toMatchObject({ reason: 'cancelled' });
    await f.flush();
    expect(receiver.records).toEqual([]);
    expect(f.queued).toBe(0);
    await f.shutdown();
  });

  it('flushes what waits on shutdown and refuses pushes afterwards', async () => {
    const f = forwarder({ lingerMillis: 10_000, maxBatchSize: 1000 });
    const pending = f.push(records(7));
    await f.shutdown();
    await pending;
    expect(receiver.records).toHaveLength(7);
    await expect(f.push(records(1))).rejects.toMatchObject({ reason: 'shutdown' });
  });
});
