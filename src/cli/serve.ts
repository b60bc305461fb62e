import type { ParseArgsConfig } from 'node:util';
import { ConfigError, gatewayConfig, type ServeFlags } from '../gateway/config.ts';
import { Gateway } from '../gateway/Gateway.ts';
import { GatewayLog } from '../gateway/log.ts';

/** The options of `serve` (documented in the usage text and the README's Gateway section). */
export const SERVE_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  host: { type: 'string' },
  port: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'token-file': { type: 'string' },
  insecure: { type: 'boolean' },
  exporter: { type: 'string' },
  'otlp-url': { type: 'string' },
  'ack-timeout': { type: 'string' },
  'max-queue': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'max-decompressed-bytes': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  'connection-max-age': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  platform: { type: 'string', multiple: true },
  fields: { type: 'boolean' },
  passthrough: { type: 'boolean' },
  'max-stream-bytes': { type: 'string' },
  'cloudflare-forward-all': { type: 'boolean' },
  'cloudflare-poll-interval': { type: 'string' },
  'cloudflare-state-file': { type: 'string' },
};

interface ServeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * `serve`: starts the gateway and runs until SIGTERM or SIGINT, then drains. Exit 0 after a clean
 * drain, 1 when the shutdown timeout passed first, 2 for a setting it cannot start with.
 */
export async function runServe(values: Record<string, unknown>, io: ServeIo): Promise<number> {
  const env = io.env ?? process.env;
  const log = new GatewayLog(io.stderr, env.PLATFORM_ERRORS_LOG_LEVEL === 'debug' ? 'debug' : 'info');
  let gateway: Gateway;
  try {
    gateway = await Gateway.start(gatewayConfig(values as ServeFlags, env), { log, stdout: io.stdout, env });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof ConfigError || code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      io.stderr.write(`otel-platform-errors: serve: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
  if (io.signal && !io.signal.aborted) {
    await new Promise<void>((resolve) => io.signal?.addEventListener('abort', () => resolve(), { once: true }));
  }
  return (await gateway.stop()) ? 0 : 1;
}
