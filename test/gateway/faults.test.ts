/**
 * The downstream fails, then vanishes, under steady load from a sender that retries like Logplex.
 * Every line the gateway acknowledged must arrive; a line may arrive twice only if its batch was
 * retried; the queue never exceeds its bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, type Running, startGateway } from '../helpers/gateway.ts';
import { batchesOf, sendLikeLogplex } from '../helpers/logplexSender.ts';

const MAX_QUEUE = 2000;
let running: Running;
const savedTimeout = process.env.OTEL_EXPORTER_OTLP_TIMEOUT;

beforeAll(async () => {
  // The exporter's own retries of 503 stay within this; the gateway answers its senders within 4 s.
  process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '1500';
  running = await startGateway({ maxQueueRecords: MAX_QUEUE, maxBatchRecords: 256 });
});
afterAll(async () => {
  await running.stop();
  if (savedTimeout === undefined) delete process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
  else process.env.OTEL_EXPORTER_OTLP_TIMEOUT = savedTimeout;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a failing, then vanished downstream under load', () => {
  it('loses no acknowledged line, duplicates only retried ones, and keeps the queue bounded', async () => {
    const batches = batchesOf(600, 20);
    let maxQueued = 0;
    let done = false;
    const sampler = (async () => {
      while (!done) {
        const text = (await get(`${running.url}/metrics`)).body;
        const queued = Number(/^platform_errors_gateway_queue_records (\d+)/m.exec(text)?.[1] ?? 0);
        maxQueued = Math.max(maxQueued, queued);
        await sleep(50);
      }
    })();
    const chaos = (async () => {
      await sleep(400);
      running.downstream.behaviour = { status: 503, retryAfterSeconds: 0 };
      await sleep(1200);
      running.downstream.behaviour = {};
      await sleep(400);
      await running.downstream.stop();
      await sleep(1200);
      await running.downstream.start(Number(new URL(running.downstreamUrl).port));
    })();
    const rssBefore = process.memoryUsage().rss;
    const result = await sendLikeLogplex(`${running.url}/heroku`, batches, { connections: 4 });
    await chaos;
    done = true;
    await sampler;

    const arrived = new Map<string, number>();
    for (const r of running.downstream.records) arrived.set(String(r.body), (arrived.get(String(r.body)) ?? 0) + 1);
    const lost = [...result.acknowledged].filter((line) => !arrived.has(line));
    const unexplainedDuplicates = [...arrived].filter(([line, n]) => n > 1 && !result.retried.has(line));
    process.stdout.write(
      `\nfaults: ${batches.length * 20} lines sent, ${result.acknowledged.size} acknowledged, ${result.dropped.size} dropped by the sender after 3 attempts, ${result.retried.size} in retried batches; answers other than 2xx: ${JSON.stringify(Object.fromEntries(result.failures))}; ${running.downstream.records.length} records arrived; max queue ${maxQueued}; RSS +${Math.round((process.memoryUsage().rss - rssBefore) / 1e6)} MB\n`,
    );
    expect(result.failures.size).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    expect(unexplainedDuplicates).toEqual([]);
    expect(maxQueued).toBeLessThanOrEqual(MAX_QUEUE);
    expect(result.acknowledged.size).toBeGreaterThan(batches.length * 10);
  }, 60_000);
});
