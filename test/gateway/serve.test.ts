/**
 * `otel-platform-errors serve` as a real process: settings it refuses, TLS, the console quick
 * start, and a SIGTERM under load that loses no acknowledged line.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { finished, runBin, start } from '../helpers/bin.ts';
import { frame, logplexLine, post } from '../helpers/gateway.ts';
import { batchesOf, sendLikeLogplex } from '../helpers/logplexSender.ts';
import { OtlpReceiver } from '../helpers/otlpReceiver.ts';

const tls = (name: string) => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `serve` and resolves with its base URL once it logs that it listens. */
async function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = start(['serve', '--port', '0', ...args], env);
  children.push(child);
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const listening = /"msg":"listening".*?"url":"([^"]+)"/.exec(stderr);
      if (listening) resolve(listening[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, url, output: () => ({ stdout, stderr }) };
}

describe('serve refuses what it cannot run safely', () => {
  it('listening beyond this machine without a token: a clear message and exit 2', async () => {
    const { code, stderr } = await runBin(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain('refusing to listen on 0.0.0.0 without a token');
  });

  it.each([
    [['--port', 'eighty']],
    [['--exporter', 'kafka']],
    [['--tls-cert', tls('cert.pem')]],
    [['--tls-cert', '/nope.pem', '--tls-key', '/nope.key']],
    [['--bogus']],
  ])('%j: exit 2 with one line of explanation', async (args) => {
    const { code, stderr } = await runBin(['serve', '--port', '0', ...args]);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(/^otel-platform-errors: /);
  });

  it.each([
    [{ FLY_ACCESS_TOKEN: 't', FLY_NATS_URL: 'http://nats.example:4222' }, 'FLY_NATS_URL must be a nats:// URL'],
    [{ CLOUDFLARE_API_TOKEN: 't', CLOUDFLARE_API_BASE_URL: 'not a url' }, 'CLOUDFLARE_API_BASE_URL must be a URL'],
    [{ CLOUDFLARE_API_TOKEN: 't', CLOUDFLARE_POLL_INTERVAL: 'soon' }, '--cloudflare-poll-interval must be'],
  ])('%j: exit 2 with one line naming the variable', async (env, message) => {
    const { code, stderr } = await runBin(['serve', '--port', '0'], undefined, env);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toContain(message);
  });
});

describe('serve --exporter console (no downstream: the quick start)', () => {
  it('prints the enriched record of a drain request', async () => {
    const { child, url, output } = await serve(['--exporter', 'console']);
    const answer = await post(
      `${url}/heroku?service.name=shop`,
      frame(logplexLine('at=error code=H12 desc="Request timeout" method=GET path="/" status=503')),
    );
    expect(answer.status).toBe(204);
    child.kill('SIGTERM');
    expect((await finished(child)).code).toBe(0);
    const line = JSON.parse(output().stdout.trim().split('\n')[0] ?? '{}');
    expect(line).toMatchObject({
      attributes: { 'error.type': 'H12', platform: 'heroku', category: 'timeout' },
      resource: { 'service.name': 'shop', 'cloud.provider': 'heroku' },
    });
  });
});

describe('serve with TLS', () => {
  it('terminates TLS itself with --tls-cert and --tls-key', async () => {
    const { child, url } = await serve([
      '--exporter',
      'console',
      '--tls-cert',
      tls('cert.pem'),
      '--tls-key',
      tls('key.pem'),
    ]);
    expect(url).toMatch(/^https:/);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        `${url.replace('127.0.0.1', 'localhost')}/heroku`,
        { method: 'POST', ca: readFileSync(tls('cert.pem')) },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(frame(logplexLine('over TLS')));
    });
    expect(status).toBe(204);
    child.kill('SIGTERM');
    expect((await finished(child)).code).toBe(0);
  });
});

describe('SIGTERM under load', () => {
  it('stops accepting, drains, and loses no acknowledged line', async () => {
    const downstream = new OtlpReceiver();
    const otlpUrl = await downstream.start();
    downstream.behaviour = { delayMillis: 30 };
    const { child, url } = await serve(['--otlp-url', otlpUrl]);
    let terminated = false;
    const sending = sendLikeLogplex(`${url}/heroku`, batchesOf(3000, 10), {
      connections: 4,
      attempts: 1,
      stopWhen: () => terminated && Math.random() < 0.05,
    });
    await new Promise((r) => setTimeout(r, 800));
    child.kill('SIGTERM');
    terminated = true;
    const [result, exit] = await Promise.all([sending, finished(child)]);
    const arrived = new Set(downstream.records.map((r) => String(r.body)));
    const lost = [...result.acknowledged].filter((line) => !arrived.has(line));
    process.stdout.write(
      `\nSIGTERM: ${result.acknowledged.size} lines acknowledged before and during the drain, ${arrived.size} arrived, exit ${exit.code}\n`,
    );
    expect(exit.code).toBe(0);
    expect(result.acknowledged.size).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    await downstream.stop();
  }, 60_000);
});

describe('serve streams a Logpush batch', () => {
  it('a 100,000-record batch (about 100 MB decompressed) goes through with flat memory', async () => {
    const downstream = new OtlpReceiver();
    const otlpUrl = await downstream.start();
    const { child, url } = await serve(['--otlp-url', otlpUrl]);
    const rssMb = () => Number(/VmRSS:\s+([0-9]+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]) / 1024;
    const padding = 'x'.repeat(800);
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const cloudflareGenerated = i % 1000 === 0;
      lines.push(
        JSON.stringify({
          RayID: `8f1c${i}`,
          EdgeStartTimestamp: 1764590000000000000 + i,
          ClientRequestHost: 'shop.example.com',
          ClientRequestURI: `/orders/${i}`,
          EdgeResponseStatus: cloudflareGenerated ? 522 : 200,
          OriginResponseStatus: cloudflareGenerated ? 0 : 200,
          ZoneName: 'example.com',
          ClientRequestUserAgent: padding,
        }),
      );
    }
    const raw = `${lines.join('\n')}\n`;
    expect(raw.length).toBeGreaterThan(95 * 1024 * 1024);
    const body = gzipSync(raw);
    // Warm up (JIT, buffers), then measure the batch itself.
    await post(`${url}/cloudflare/logpush`, gzipSync(lines.slice(0, 2000).join('\n')), { 'content-encoding': 'gzip' });
    const before = rssMb();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb());
    }, 10);
    const answer = await post(`${url}/cloudflare/logpush`, body, { 'content-encoding': 'gzip' });
    clearInterval(sampler);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ kind: 'delivered', records: 100_000, forwarded: 100, rejected: 0 });
    // Held whole, the decompressed text alone would add 90+ MB.
    expect(peak - before).toBeLessThan(40);
    child.kill('SIGTERM');
    await finished(child);
    await downstream.stop();
  }, 60_000);
});
