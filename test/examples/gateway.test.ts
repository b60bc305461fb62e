/**
 * examples/gateway: the gateway as a Heroku app (Procfile) and a Fly app (fly.toml + Dockerfile),
 * with the Collector configuration behind it. Nothing is deployed from here; these tests run the
 * command the Procfile names with the environment fly.toml sets, and check that every setting is
 * one the gateway really reads and every path one it really serves.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CollectorConfig, wiringProblems, withDefaults } from '../grafana/collector.ts';
import { finished, start } from '../helpers/bin.ts';
import { frame, get, logplexLine, post } from '../helpers/gateway.ts';

const read = (file: string) => readFileSync(`examples/gateway/${file}`, 'utf8');
const rootPackage = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string };

/** `[env]` of fly.toml as key → value (the file's simple `KEY = "value"` lines). */
function flyEnv(): Record<string, string> {
  const section = /\[env\]\n([\s\S]*?)\n\[/.exec(read('fly.toml'))?.[1] ?? '';
  return Object.fromEntries([...section.matchAll(/^\s*([A-Z_]+) = "([^"]*)"/gm)].map((m) => [m[1], m[2]]));
}

describe("the README's gateway quick start", () => {
  it('posts the frame it shows and prints exactly the record it shows', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### Try it'));
    const frame = `${/\$'(122 <158>[^']+)\\n'/.exec(section)?.[1]}\n`;
    expect(Buffer.byteLength(frame.slice(4))).toBe(122);
    const shown = /```json\n(.+)\n```/.exec(section)?.[1] ?? '';
    const child = start(['serve', '--exporter', 'console', '--port', '0'], { PLATFORM_ERRORS_TOKEN: 'secret' });
    const done = finished(child);
    const port = await new Promise<string>((resolve) => {
      let log = '';
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const listening = /"msg":"listening".*?"port":([0-9]+)/.exec(log);
        if (listening) resolve(listening[1] as string);
      });
    });
    const answer = await post(`http://127.0.0.1:${port}/heroku?service.name=shop`, frame, {
      authorization: `Basic ${Buffer.from('heroku:secret').toString('base64')}`,
    });
    expect(answer.status).toBe(204);
    child.kill('SIGTERM');
    expect((await done).stdout.trim()).toBe(shown);
  });
});

describe('examples/gateway', () => {
  it('the Procfile, the Dockerfile and package.json run this package’s serve command', () => {
    const procfile = /^web: (.+)$/m.exec(read('Procfile'))?.[1];
    expect(procfile).toBe('otel-platform-errors serve');
    expect(read('Dockerfile')).toContain('CMD ["npx", "--no-install", "otel-platform-errors", "serve"]');
    expect(Object.keys(JSON.parse(read('package.json')).dependencies)).toEqual([rootPackage.name]);
  });

  it('started as the Procfile says with $PORT, it listens on every interface, takes a drain and stops cleanly', async () => {
    const child = start(['serve'], {
      PORT: '0',
      PLATFORM_ERRORS_TOKEN: 'example-token',
      OTEL_LOGS_EXPORTER: 'console',
    });
    const done = finished(child);
    let log = '';
    const [host, port] = await new Promise<[string, string]>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const listening = /"msg":"listening".*?"host":"([^"]+)".*?"port":([0-9]+)/.exec(log);
        if (listening) resolve([listening[1] as string, listening[2] as string]);
      });
    });
    expect(host).toBe('0.0.0.0');
    const url = `http://127.0.0.1:${port}`;
    const body = frame(logplexLine('at=error code=H12 desc="Request timeout" method=GET path="/"'));
    const answer = await post(`${url}/heroku`, body, {
      authorization: `Basic ${Buffer.from('heroku:example-token').toString('base64')}`,
    });
    expect(answer.status).toBe(204);
    const checkPath = /path = "([^"]+)"/.exec(read('fly.toml'))?.[1] ?? '';
    expect((await get(`${url}${checkPath}`)).status).toBe(200);
    child.kill('SIGTERM');
    const { code, stdout } = await done;
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim()).attributes['error.type']).toBe('H12');
  });

  it('fly.toml sets only variables the gateway reads, and serves on the port it sets', () => {
    const env = flyEnv();
    expect(Object.keys(env).sort()).toEqual(['FLY_ORG', 'FLY_QUEUE', 'FLY_SUBJECT', 'PORT']);
    const config = readFileSync('src/gateway/config.ts', 'utf8');
    for (const name of Object.keys(env)) expect(config).toContain(name);
    expect(/internal_port = ([0-9]+)/.exec(read('fly.toml'))?.[1]).toBe(env.PORT);
  });

  it('the Collector behind the replicas is wired correctly and queues on disk', () => {
    const config = withDefaults(parse(read('collector.yaml')) as CollectorConfig);
    expect(wiringProblems(config)).toEqual([]);
    const loki = config.exporters?.['otlphttp/loki'] as { sending_queue: { storage: string } };
    expect(loki.sending_queue.storage).toBe('file_storage');
    expect(config.service.extensions).toContain('file_storage');
    expect(Object.keys(config.extensions ?? {})).toContain('file_storage');
  });
});
