import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { EnricherOptions } from '../types.ts';
import type { HealthEventsPollerOptions } from './receivers/cloudflare/HealthEventsPoller.ts';
import type { FlyNatsOptions } from './receivers/fly/FlyNatsReceiver.ts';

/** A setting the gateway cannot start with; the CLI prints it and exits 2. */
export class ConfigError extends Error {}

/** Everything `serve` runs with; `gatewayConfig` builds it from flags and the environment. */
export interface GatewayConfig {
  /** Address to listen on. @default 0.0.0.0 when $PORT is set (a platform runs it), else 127.0.0.1 */
  host: string;
  /** @default $PORT, else 8080 */
  port: number;
  /** PEM certificate and key, when the gateway terminates TLS itself. */
  tls: { cert: Buffer; key: Buffer } | undefined;
  /** The shared secret senders present (basic-auth password, bearer token, cf-webhook-auth). */
  token: string | undefined;
  /** Listen on a non-loopback address without a token. @default false */
  insecure: boolean;
  /** `otlp`: forward downstream over OTLP/HTTP; `console`: print enriched records as JSON lines. @default otlp */
  exporter: 'otlp' | 'console';
  /** The OTLP endpoint; without it the standard OTEL_EXPORTER_OTLP_* variables apply. */
  otlpUrl: string | undefined;
  /** Largest request body on the wire. @default 16 MiB (log-shuttle batches of long lines reach 6 MB) */
  maxBodyBytes: number;
  /** Largest body once decompressed. @default 64 MiB */
  maxDecompressedBytes: number;
  /** Longest Logplex frame or Logpush line. @default 64 KiB */
  maxLineBytes: number;
  /** How long a request waits for the downstream before it is answered 503. @default 4000 (Logplex gives up after 5 s) */
  ackTimeoutMillis: number;
  /** Records held for the downstream (waiting and in flight) before senders get 429. @default 100000 */
  maxQueueRecords: number;
  /** Records per export request. @default 2048 */
  maxBatchRecords: number;
  /** Delivered frame ids remembered for retries. @default 20000 */
  dedupeSize: number;
  /** Connections are closed after this long (±10 %), so a load balancer spreads Logplex's long-lived ones. @default 300 */
  connectionMaxAgeSeconds: number;
  /** How long SIGTERM waits for in-flight requests and the last export. @default 25 */
  shutdownTimeoutSeconds: number;
  /** Largest streamed body (Logpush), on the wire and once decompressed. @default 1 GiB (Logpush's largest batch) */
  maxStreamBytes: number;
  /** Fly's org log stream over NATS; undefined unless FLY_ACCESS_TOKEN (or ACCESS_TOKEN) is set. */
  fly: FlyNatsOptions | undefined;
  /** Cloudflare: Logpush (forward every record, or only those with a code) and the health-events poller. */
  cloudflare: {
    /** Forward every Logpush record, not only those that hold a platform code. @default false */
    logpushForwardAll: boolean;
    /** The Load Balancing health-events poller; undefined unless CLOUDFLARE_API_TOKEN is set. */
    poller: HealthEventsPollerOptions | undefined;
  };
  /** What to recognise and how (catalogs, platforms, request fields); `--passthrough` selects no platform. */
  enricher: EnricherOptions;
}

/** Flag values as the CLI's parser gives them (strings, booleans, repeatable lists). */
export interface ServeFlags {
  host?: string;
  port?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'token-file'?: string;
  insecure?: boolean;
  exporter?: string;
  'otlp-url'?: string;
  'max-body-bytes'?: string;
  'max-decompressed-bytes'?: string;
  'max-line-bytes'?: string;
  'ack-timeout'?: string;
  'max-queue'?: string;
  'connection-max-age'?: string;
  'shutdown-timeout'?: string;
  catalog?: string[];
  platform?: string[];
  fields?: boolean;
  passthrough?: boolean;
  'max-stream-bytes'?: string;
  'cloudflare-forward-all'?: boolean;
  'cloudflare-poll-interval'?: string;
  'cloudflare-state-file'?: string;
}

const MiB = 1024 * 1024;

function integer(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError(`${name} must be a whole number ≥ ${min} (got "${raw}")`);
  return value;
}

function readFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${name}: ${path}: ${code === 'ENOENT' ? 'not found' : (error as Error).message}`);
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * The configuration from flags, then environment variables (twelve-factor), then defaults.
 * Throws ConfigError for a value it cannot use, and when the gateway would listen beyond this
 * machine without a token (unless `--insecure`).
 */
export function gatewayConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): GatewayConfig {
  const host = flags.host ?? env.HOST ?? (env.PORT ? '0.0.0.0' : '127.0.0.1');
  const port = integer('--port', flags.port ?? env.PORT, 8080, 0);
  if (port > 65535) throw new ConfigError(`--port must be at most 65535 (got ${port})`);
  const certPath = flags['tls-cert'] ?? env.PLATFORM_ERRORS_TLS_CERT;
  const keyPath = flags['tls-key'] ?? env.PLATFORM_ERRORS_TLS_KEY;
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new ConfigError('TLS needs both --tls-cert and --tls-key');
  }
  const tls =
    certPath !== undefined && keyPath !== undefined
      ? { cert: readFile('--tls-cert', certPath), key: readFile('--tls-key', keyPath) }
      : undefined;
  const tokenFile = flags['token-file'] ?? env.PLATFORM_ERRORS_TOKEN_FILE;
  const token =
    (tokenFile !== undefined
      ? readFile('--token-file', tokenFile).toString('utf8')
      : env.PLATFORM_ERRORS_TOKEN
    )?.trim() || undefined;
  const insecure = flags.insecure === true;
  if (!token && !insecure && !isLoopback(host)) {
    throw new ConfigError(
      `refusing to listen on ${host} without a token: set PLATFORM_ERRORS_TOKEN (or --token-file), listen on 127.0.0.1, or pass --insecure`,
    );
  }
  const maxQueueRecords = integer('--max-queue', flags['max-queue'], 100_000);
  const exporter = (flags.exporter ?? (env.OTEL_LOGS_EXPORTER === 'console' ? 'console' : 'otlp')).trim();
  if (exporter !== 'otlp' && exporter !== 'console') {
    throw new ConfigError(`--exporter must be otlp or console (got "${exporter}")`);
  }
  return {
    host,
    port,
    tls,
    token,
    insecure,
    exporter,
    otlpUrl: flags['otlp-url'],
    maxBodyBytes: integer('--max-body-bytes', flags['max-body-bytes'], 16 * MiB),
    maxDecompressedBytes: integer('--max-decompressed-bytes', flags['max-decompressed-bytes'], 64 * MiB),
    maxLineBytes: integer('--max-line-bytes', flags['max-line-bytes'], 64 * 1024),
    ackTimeoutMillis: integer('--ack-timeout', flags['ack-timeout'], 4000),
    maxQueueRecords,
    maxBatchRecords: 2048,
    dedupeSize: 20_000,
    connectionMaxAgeSeconds: integer('--connection-max-age', flags['connection-max-age'], 300),
    shutdownTimeoutSeconds: integer('--shutdown-timeout', flags['shutdown-timeout'], 25),
    maxStreamBytes: integer('--max-stream-bytes', flags['max-stream-bytes'], 1024 * MiB),
    fly: flyOptions(env, maxQueueRecords),
    cloudflare: {
      logpushForwardAll: flags['cloudflare-forward-all'] === true,
      poller: pollerOptions(flags, env),
    },
    enricher: {
      catalogs: flags.catalog ?? [],
      // A plain Logplex/OTLP → OTLP bridge (and the load benchmark's baseline): nothing is recognised.
      platforms: flags.passthrough === true ? [] : flags.platform,
      extractFields: flags.fields === true,
      adjustSeverity: true,
    },
  };
}

/** A variable by its own name, else by the name fly-log-shipper users know. */
const either = (env: NodeJS.ProcessEnv, name: string, shipperName: string): string | undefined =>
  env[name]?.trim() || env[shipperName]?.trim() || undefined;

/** Fly's NATS stream, when a token is given (FLY_* variables, or fly-log-shipper's names). */
function flyOptions(env: NodeJS.ProcessEnv, maxQueueRecords: number): FlyNatsOptions | undefined {
  const token = either(env, 'FLY_ACCESS_TOKEN', 'ACCESS_TOKEN');
  if (token === undefined) return undefined;
  const url = env.FLY_NATS_URL?.trim() || 'nats://[fdaa::3]:4223';
  if (!/^(nats|tls|wss?):\/\//.test(url)) throw new ConfigError(`FLY_NATS_URL must be a nats:// URL (got "${url}")`);
  return {
    url,
    org: either(env, 'FLY_ORG', 'ORG') ?? 'personal',
    token,
    subject: either(env, 'FLY_SUBJECT', 'SUBJECT') ?? 'logs.>',
    queue: either(env, 'FLY_QUEUE', 'QUEUE'),
    // Half the queue: the HTTP receivers keep room while the downstream catches up.
    maxBacklog: Math.max(1, Math.floor(maxQueueRecords / 2)),
  };
}

/** Cloudflare's health-events poller, when an API token is given. */
function pollerOptions(flags: ServeFlags, env: NodeJS.ProcessEnv): HealthEventsPollerOptions | undefined {
  const token = env.CLOUDFLARE_API_TOKEN?.trim();
  if (!token) return undefined;
  const baseUrl = (env.CLOUDFLARE_API_BASE_URL?.trim() || 'https://api.cloudflare.com/client/v4').replace(/\/+$/, '');
  try {
    new URL(baseUrl);
  } catch {
    throw new ConfigError(`CLOUDFLARE_API_BASE_URL must be a URL (got "${baseUrl}")`);
  }
  return {
    token,
    accountId: env.CLOUDFLARE_ACCOUNT_ID?.trim() || undefined,
    baseUrl,
    intervalSeconds: integer(
      '--cloudflare-poll-interval',
      flags['cloudflare-poll-interval'] ?? env.CLOUDFLARE_POLL_INTERVAL,
      60,
    ),
    stateFile: flags['cloudflare-state-file'] ?? (env.CLOUDFLARE_STATE_FILE?.trim() || undefined),
  };
}
