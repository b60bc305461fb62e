/**
 * The load generator, run in its own process: posts Logplex batches to the gateway over a few
 * keep-alive connections, one request in flight on each (as Logplex does), each batch with its
 * own Logplex-Frame-Id, and retries a batch up to 3 times on 429/5xx/errors. Bounded in lines
 * and in seconds. Prints one JSON object: what was acknowledged, and the latency of every answer.
 *   node --experimental-strip-types bench/gateway/sender.ts '{"url":…,"lines":…,"batch":…,"connections":…,"seconds":…}'
 */
import { Agent, request } from 'node:http';
import { drainFrame } from './drainLines.ts';

interface Plan {
  url: string;
  token: string;
  lines: number;
  batch: number;
  connections: number;
  seconds: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
/** Distinct bodies, built before the clock starts, reused round-robin (frame ids stay unique). */
const RING = 64;
const bodies = Array.from({ length: RING }, (_, b) => {
  let body = '';
  for (let i = 0; i < plan.batch; i++) body += drainFrame(b * plan.batch + i);
  return Buffer.from(body);
});
const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });
const authorization = `Basic ${Buffer.from(`bench:${plan.token}`).toString('base64')}`;

function post(body: Buffer, frameId: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      plan.url,
      {
        method: 'POST',
        agent,
        timeout: 10_000,
        headers: {
          authorization,
          'content-type': 'application/logplex-1',
          'content-length': body.length,
          'logplex-msg-count': plan.batch,
          'logplex-frame-id': frameId,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

const batches = Math.ceil(plan.lines / plan.batch);
const latenciesMs: number[] = [];
const failures: Record<string, number> = {};
let next = 0;
let acknowledgedLines = 0;
let droppedLines = 0;
const started = performance.now();
const deadline = started + plan.seconds * 1000;

async function worker(): Promise<void> {
  while (next < batches && performance.now() < deadline) {
    const n = next++;
    const body = bodies[n % RING] as Buffer;
    let delivered = false;
    for (let attempt = 1; attempt <= 3 && !delivered; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, 20 * attempt));
      const sent = performance.now();
      const status = await post(body, `bench-${process.pid}-${n}`);
      latenciesMs.push(performance.now() - sent);
      delivered = status >= 200 && status < 300;
      if (!delivered) failures[String(status)] = (failures[String(status)] ?? 0) + 1;
    }
    if (delivered) acknowledgedLines += plan.batch;
    else droppedLines += plan.batch;
  }
}

await Promise.all(Array.from({ length: plan.connections }, worker));
const seconds = (performance.now() - started) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ acknowledgedLines, droppedLines, seconds, latenciesMs, failures }));
