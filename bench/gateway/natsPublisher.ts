/**
 * Publishes Fly-shaped log messages to NATS, in its own process: 1 in 20 a proxy error line, the
 * rest app output. Core NATS has no flow control — a subscriber that falls behind is cut off and
 * loses messages — so the publisher keeps at most `window` messages ahead of what the gateway
 * has forwarded (read from its /metrics), which measures the rate the gateway sustains without
 * loss. Prints {published, seconds}.
 *   node --experimental-strip-types bench/gateway/natsPublisher.ts '{"url":…,"user":…,"pass":…,"messages":…,"metricsUrl":…,"window":…}'
 */
import { connect } from '@nats-io/transport-node';

interface Plan {
  url: string;
  user: string;
  pass: string;
  messages: number;
  metricsUrl: string;
  window: number;
}

/** Records the gateway has forwarded so far. */
async function forwarded(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^platform_errors_gateway_records_forwarded_total ([0-9.e+]+)$/m.exec(text)?.[1] ?? 0);
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;
const nc = await connect({ servers: plan.url, user: plan.user, pass: plan.pass });
const encoder = new TextEncoder();

function message(i: number): Uint8Array {
  const proxy = i % 20 === 19;
  return encoder.encode(
    JSON.stringify({
      event: { provider: proxy ? 'proxy' : 'app' },
      fly: { app: { instance: '0e286551c30586', name: 'shop' }, region: 'sjc' },
      host: '0ad1',
      log: { level: proxy ? 'error' : 'info' },
      message: proxy
        ? '[PM05] failed to connect to machine: gave up after 15 attempts (in 8.102201247s)'
        : `GET /api/v1/orders/${i} 200 in 12ms request_id=${i.toString(16)}`,
      timestamp: new Date().toISOString(),
    }),
  );
}

const started = performance.now();
let done = 0;
for (let i = 0; i < plan.messages; i++) {
  while (i - done >= plan.window) {
    await nc.flush();
    done = await forwarded(plan.metricsUrl);
    if (i - done >= plan.window) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  nc.publish('logs.shop.sjc.0e286551c30586', message(i));
}
await nc.flush();
const seconds = (performance.now() - started) / 1000;
await nc.close();
process.stdout.write(JSON.stringify({ published: plan.messages, seconds }));
