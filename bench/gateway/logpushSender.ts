/**
 * Posts gzipped NDJSON batches of Cloudflare http_requests records to the gateway's Logpush
 * destination, one batch at a time per connection (as a Logpush job pushes), in its own process:
 * 1 record in 1000 a Cloudflare-generated 522. Prints {records, seconds, latenciesMs, failures}.
 *   node --experimental-strip-types bench/gateway/logpushSender.ts '{"url":…,"token":…,"batches":…,"records":…,"connections":…}'
 */
import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';

interface Plan {
  url: string;
  token: string;
  batches: number;
  records: number;
  connections: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;

function batch(b: number): Buffer {
  let text = '';
  for (let i = 0; i < plan.records; i++) {
    const n = b * plan.records + i;
    const edge = n % 1000 === 0;
    text += `${JSON.stringify({
      ClientIP: '203.0.113.7',
      ClientRequestHost: 'shop.example.com',
      ClientRequestMethod: 'GET',
      ClientRequestURI: `/api/v1/orders/${n}`,
      ClientRequestProtocol: 'HTTP/2',
      ClientRequestUserAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
      EdgeColoCode: 'FRA',
      EdgeResponseStatus: edge ? 522 : 200,
      EdgeStartTimestamp: 1764590000000000000 + n,
      OriginIP: edge ? '' : '198.51.100.4',
      OriginResponseStatus: edge ? 0 : 200,
      OriginResponseDurationMs: edge ? 0 : 23,
      RayID: `8f1c2d3e${n.toString(16).padStart(8, '0')}`,
      ZoneName: 'example.com',
    })}\n`;
  }
  return gzipSync(text);
}

// Built before the clock starts; a handful of distinct bodies reused round-robin.
const bodies = Array.from({ length: Math.min(plan.batches, 4) }, (_, b) => batch(b));
const agent = new Agent({ keepAlive: true, maxSockets: plan.connections });

function post(body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      plan.url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${plan.token}`,
          'content-encoding': 'gzip',
          'content-type': 'application/json',
          'content-length': body.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

let next = 0;
let records = 0;
const latenciesMs: number[] = [];
const failures: Record<string, number> = {};
const started = performance.now();
await Promise.all(
  Array.from({ length: plan.connections }, async () => {
    while (next < plan.batches) {
      const body = bodies[next++ % bodies.length] as Buffer;
      const sent = performance.now();
      const status = await post(body);
      latenciesMs.push(performance.now() - sent);
      if (status === 200) records += plan.records;
      else failures[String(status)] = (failures[String(status)] ?? 0) + 1;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
process.stdout.write(JSON.stringify({ records, seconds, latenciesMs, failures }));
