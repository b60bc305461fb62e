/**
 * A real gateway on loopback in front of a real OTLP receiver: the gateway forwards with the OTel
 * OTLP exporter over HTTP, and the receiver decodes what arrives.
 */
import { request } from 'node:http';
import { type GatewayConfig, gatewayConfig } from '../../src/gateway/config.ts';
import { Gateway } from '../../src/gateway/Gateway.ts';
import { OtlpReceiver } from './otlpReceiver.ts';

export interface Running {
  gateway: Gateway;
  downstream: OtlpReceiver;
  /** The gateway's base URL. */
  url: string;
  /** Where the downstream receiver listens (the same after a restart on its port). */
  downstreamUrl: string;
  stop(): Promise<void>;
}

/** Starts a downstream receiver and a gateway forwarding to it (http/protobuf unless `env` says otherwise). */
export async function startGateway(
  overrides: Partial<GatewayConfig> = {},
  env: NodeJS.ProcessEnv = {},
  downstream = new OtlpReceiver(),
): Promise<Running> {
  const otlpUrl = await downstream.start();
  const config = { ...gatewayConfig({ port: '0' }, env), otlpUrl, ...overrides };
  const gateway = await Gateway.start(config, { env });
  return {
    gateway,
    downstream,
    url: gateway.address().url,
    downstreamUrl: otlpUrl,
    async stop() {
      await gateway.stop();
      await downstream.stop();
    },
  };
}

/** One Logplex frame: the byte length of the message, a space, the message (with its trailing LF). */
export function frame(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

/** An RFC 5424 line as Logplex writes it to an HTTPS drain (no STRUCTURED-DATA). */
export function logplexLine(message: string, procid = 'router', appname = 'heroku', pri = 158): string {
  return `<${pri}>1 2026-11-30T10:00:00.123456+00:00 host ${appname} ${procid} - ${message}\n`;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  bytes: Buffer;
}

/** A raw HTTP request (the body as given, no client-side framing or retries). */
export function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'content-type': 'application/logplex-1', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString(), bytes });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function get(url: string): Promise<Answer> {
  return post(url, '', {}, 'GET');
}

/** Waits until `check` holds (the downstream receives asynchronously), or fails after `ms`. */
export async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
