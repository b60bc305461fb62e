import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { Enricher } from '../core/Enricher.ts';
import { createOtlpLogExporter } from '../otlp/exporter.ts';
import { ForwardError, Forwarder } from '../otlp/Forwarder.ts';
import { JsonLinesExporter } from '../otlp/JsonLinesExporter.ts';
import type { GatewayConfig } from './config.ts';
import { HttpError } from './http/HttpError.ts';
import { SharedSecret } from './http/SharedSecret.ts';
import { type GatewayLog, SILENT } from './log.ts';
import { GatewayMetrics } from './metrics.ts';
import { Pipeline } from './pipeline/Pipeline.ts';
import { HealthEventsPoller } from './receivers/cloudflare/HealthEventsPoller.ts';
import { LogpushReceiver } from './receivers/cloudflare/LogpushReceiver.ts';
import { WebhookReceiver } from './receivers/cloudflare/WebhookReceiver.ts';
import { FlyNatsReceiver } from './receivers/fly/FlyNatsReceiver.ts';
import { HerokuReceiver } from './receivers/heroku/HerokuReceiver.ts';
import { OtlpReceiver } from './receivers/otlp/OtlpReceiver.ts';
import { Status } from './receivers/otlp/otlpLogsProto.ts';

/** Seconds a sender is asked to wait when the queue is full, and when the downstream failed. */
const RETRY_AFTER_FULL = 1;
const RETRY_AFTER_DOWNSTREAM = 5;
/** Notifications are small; a webhook body beyond this is refused. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;

/** Where a gateway writes: its own logs, and records when there is no downstream. */
export interface GatewayIo {
  log?: GatewayLog;
  stdout?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
  /** An exporter to forward to instead of the configured one (tests, embedding). */
  exporter?: LogRecordExporter;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL, signal: AbortSignal) => Promise<void>;

/**
 * `otel-platform-errors serve`: a stateless HTTP service that receives the platforms' own log
 * streams, enriches every record with the same core as the SDK processor, and forwards them over
 * OTLP. A request is answered 2xx only once its records were accepted downstream; otherwise 503
 * or 429 with Retry-After, which Logplex, Logpush and OTLP clients retry.
 */
export class Gateway {
  readonly metrics = new GatewayMetrics();
  private readonly _server: Server;
  private readonly _pipeline: Pipeline;
  private readonly _secret: SharedSecret;
  private readonly _routes = new Map<string, Route>();
  private readonly _born = new WeakMap<Socket, number>();
  /** Which receiver a response belongs to, for the requests metric. */
  private readonly _receiver = new WeakMap<ServerResponse, string>();
  private readonly _lastRejectionLog = new Map<string, number>();
  private readonly _log: GatewayLog;
  private _inFlight = 0;
  private _idle: Array<() => void> = [];
  private _stopping: Promise<void> | undefined;
  /** Fly's NATS stream, when configured. */
  readonly fly: FlyNatsReceiver | undefined;
  /** Cloudflare's health-events poller, when configured. */
  readonly healthEvents: HealthEventsPoller | undefined;

  private constructor(
    private readonly _config: GatewayConfig,
    exporter: LogRecordExporter,
    log: GatewayLog,
  ) {
    this._log = log;
    this._secret = new SharedSecret(_config.token);
    const enricher = new Enricher(_config.enricher);
    const forwarder = new Forwarder({
      exporter,
      maxBatchSize: _config.maxBatchRecords,
      maxQueueSize: _config.maxQueueRecords,
      onExport: (records, error, seconds) => {
        this.metrics.exportDuration.observe(seconds);
        if (error) {
          this.metrics.downstreamFailures.inc();
          this._log.warn('downstream export failed', { records, error: error.message });
        } else {
          this.metrics.forwarded.inc(records);
        }
      },
    });
    this._pipeline = new Pipeline(enricher, forwarder, this.metrics);
    this.metrics.queueDepth = () => forwarder.queued;
    const limits = { maxBytes: _config.maxBodyBytes, maxDecompressedBytes: _config.maxDecompressedBytes };
    const heroku = new HerokuReceiver(this._pipeline, this.metrics, {
      limits,
      maxFrameBytes: _config.maxLineBytes,
      ackTimeoutMillis: _config.ackTimeoutMillis,
      dedupeSize: _config.dedupeSize,
      isSecret: (value) => this._secret.configured && this._secret.matches(value),
    });
    const otlp = new OtlpReceiver(this._pipeline, { limits, ackTimeoutMillis: _config.ackTimeoutMillis });
    this._routes.set(
      'POST /heroku',
      this._authorized('heroku', async (req, res, url) => {
        await heroku.handle(req, url);
        this._answer(res, 'heroku', 204);
      }),
    );
    this._routes.set(
      'POST /v1/logs',
      this._authorized('otlp', async (req, res) => {
        const answer = await otlp.handle(req);
        this._answer(res, 'otlp', 200, answer.body, { 'content-type': answer.contentType });
      }),
    );
    const logpush = new LogpushReceiver(this._pipeline, this.metrics, {
      maxBytes: _config.maxStreamBytes,
      maxLineBytes: _config.maxLineBytes,
      ackTimeoutMillis: _config.ackTimeoutMillis,
      forwardAll: _config.cloudflare.logpushForwardAll,
    });
    this._routes.set(
      'POST /cloudflare/logpush',
      this._authorized('cloudflare_logpush', async (req, res, url, signal) => {
        const outcome = await logpush.handle(req, url, signal);
        this._answer(res, 'cloudflare_logpush', 200, `${JSON.stringify(outcome)}\n`, {
          'content-type': 'application/json',
        });
      }),
    );
    const webhook = new WebhookReceiver(this._pipeline, {
      limits: { maxBytes: MAX_WEBHOOK_BYTES, maxDecompressedBytes: MAX_WEBHOOK_BYTES },
      ackTimeoutMillis: _config.ackTimeoutMillis,
    });
    this._routes.set(
      'POST /cloudflare/webhook',
      // Cloudflare sends the destination's secret in a header of its own.
      this._authorized(
        'cloudflare_webhook',
        async (req, res, url, signal) => {
          const outcome = await webhook.handle(req, url, signal);
          this._answer(res, 'cloudflare_webhook', 200, `${outcome === 'test' ? 'test message received' : 'ok'}\n`);
        },
        'cf-webhook-auth',
      ),
    );
    this.fly = _config.fly && new FlyNatsReceiver(_config.fly, this._pipeline, this.metrics, log);
    this.healthEvents =
      _config.cloudflare.poller && new HealthEventsPoller(_config.cloudflare.poller, this._pipeline, this.metrics, log);
    this._routes.set('GET /healthz', async (_req, res) => this._answer(res, 'health', 200, 'ok\n'));
    this._routes.set('GET /readyz', async (_req, res) => {
      const ready = this._stopping === undefined && this._pipeline.healthy;
      this._answer(res, 'health', ready ? 200 : 503, ready ? 'ready\n' : 'not ready: the downstream is failing\n');
    });
    this._routes.set('GET /metrics', async (_req, res) => {
      const text = await this.metrics.registry.metrics();
      this._answer(res, 'metrics', 200, text, { 'content-type': this.metrics.registry.contentType });
    });
    const handler = (req: IncomingMessage, res: ServerResponse) => void this._handle(req, res);
    this._server = _config.tls ? createHttpsServer({ ..._config.tls }, handler) : createHttpServer(handler);
    // Slow senders: the headers must arrive within 10 s, the whole request within 120 s (a Logpush
    // batch of hundreds of MB streams for tens of seconds; other bodies are capped at a few MiB).
    this._server.headersTimeout = 10_000;
    this._server.requestTimeout = 120_000;
    // Logplex keeps connections open for minutes; idle ones are closed after 75 s.
    this._server.keepAliveTimeout = 75_000;
    this._server.on('connection', (socket: Socket) => this._born.set(socket, Date.now()));
    this._server.on('clientError', (error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      this._log.debug('client error', { error: error.message });
    });
  }

  /** Builds the gateway and listens; rejects when the address cannot be used. */
  static async start(config: GatewayConfig, io: GatewayIo = {}): Promise<Gateway> {
    const exporter =
      io.exporter ??
      (config.exporter === 'console'
        ? new JsonLinesExporter(io.stdout)
        : await createOtlpLogExporter(config.otlpUrl, io.env ?? process.env));
    const gateway = new Gateway(config, exporter, io.log ?? SILENT);
    await new Promise<void>((resolve, reject) => {
      gateway._server.once('error', reject);
      gateway._server.listen(config.port, config.host, () => {
        gateway._server.off('error', reject);
        resolve();
      });
    });
    gateway._log.info('listening', { ...gateway.address(), tls: config.tls !== undefined, exporter: config.exporter });
    gateway.healthEvents?.start();
    return gateway;
  }

  /** Where it listens (the port is the real one when 0 was asked for). */
  address(): { host: string; port: number; url: string } {
    const { address, port } = this._server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    return { host: address, port, url: `${this._config.tls ? 'https' : 'http'}://${host}:${port}` };
  }

  /**
   * Graceful stop (SIGTERM): stop accepting, let in-flight requests finish and be answered,
   * export what is queued, shut the exporter down. Resolves false when `shutdownTimeoutSeconds`
   * passed first.
   */
  stop(): Promise<boolean> {
    this._stopping ??= this._drain();
    const deadline = new Promise<boolean>((resolve) =>
      setTimeout(() => resolve(false), this._config.shutdownTimeoutSeconds * 1000).unref(),
    );
    return Promise.race([this._stopping.then(() => true), deadline]);
  }

  private async _drain(): Promise<void> {
    this._log.info('stopping: no new connections, draining in-flight requests');
    const closed = new Promise<void>((resolve) => this._server.close(() => resolve()));
    this._server.closeIdleConnections();
    // What arrives by NATS or by polling has no sender to retry it: it is delivered before the exporter shuts down.
    const deadline = this._config.shutdownTimeoutSeconds * 1000 * 0.8;
    await Promise.all([this.fly?.stop(deadline), this.healthEvents?.stop()]);
    if (this._inFlight > 0) await new Promise<void>((resolve) => this._idle.push(resolve));
    await this._pipeline.shutdown();
    this._server.closeAllConnections();
    await closed;
    this._log.info('stopped');
  }

  /**
   * Wraps a receiver's route with the shared secret — in the Authorization header, or in
   * `ownHeader` for a sender that has a header of its own: 401 (and a closed connection) without it.
   */
  private _authorized(receiver: string, route: Route, ownHeader?: string): Route {
    return async (req, res, url, signal) => {
      this._receiver.set(res, receiver);
      if (!this._secret.authorizes(req, ownHeader)) {
        if (ownHeader !== undefined) throw new HttpError(401, `missing or wrong ${ownHeader} secret`);
        res.setHeader('www-authenticate', 'Basic realm="otel-platform-errors", Bearer');
        throw new HttpError(401, 'missing or wrong credentials');
      }
      await route(req, res, url, signal);
    };
  }

  private async _handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this._inFlight++;
    const url = new URL(req.url ?? '/', 'http://gateway');
    const route = this._routes.get(`${req.method} ${url.pathname}`);
    // A sender that gives up (timeout, closed connection) will resend: what was not sent yet is dropped.
    const gaveUp = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gaveUp.abort();
    });
    try {
      if (!route) {
        const known = [...this._routes.keys()].some((key) => key.endsWith(` ${url.pathname}`));
        throw new HttpError(known ? 405 : 404, known ? `${req.method} is not allowed here` : 'no such endpoint');
      }
      await route(req, res, url, gaveUp.signal);
    } catch (error) {
      this._fail(req, res, url, error);
    } finally {
      if (--this._inFlight === 0) for (const wake of this._idle.splice(0)) wake();
    }
  }

  private _fail(req: IncomingMessage, res: ServerResponse, url: URL, error: unknown): void {
    const receiver = this._receiver.get(res) ?? 'none';
    let status = 500;
    let message = 'internal error';
    const headers: Record<string, string> = {};
    if (error instanceof HttpError) {
      status = error.status;
      message = error.message;
      Object.assign(headers, error.headers);
      this._logRejection(receiver, status, message, req);
    } else if (error instanceof ForwardError) {
      // The sender keeps the records and retries: Logplex, Logpush and OTLP clients all retry 429 and 503.
      status = error.reason === 'full' ? 429 : 503;
      message = error.message;
      headers['retry-after'] = String(status === 429 ? RETRY_AFTER_FULL : RETRY_AFTER_DOWNSTREAM);
    } else {
      this._log.error('request failed', { path: url.pathname, error: String((error as Error)?.stack ?? error) });
    }
    // A body that was not read to its end leaves the connection unusable.
    if (!req.complete) headers.connection = 'close';
    if (url.pathname === '/v1/logs') {
      this._answerOtlpError(req, res, status, message, headers);
      return;
    }
    this._answer(res, receiver, status, `${message}\n`, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  }

  /**
   * Rejected requests (401, 413, 415, …) are logged, at most once a minute per receiver and
   * status, so a misconfigured drain shows up without an attacker being able to flood the log.
   */
  private _logRejection(receiver: string, status: number, message: string, req: IncomingMessage): void {
    const key = `${receiver} ${status}`;
    const now = Date.now();
    if ((this._lastRejectionLog.get(key) ?? 0) > now - 60_000) return;
    this._lastRejectionLog.set(key, now);
    this._log.warn('request rejected', {
      receiver,
      status,
      reason: message,
      remote: req.socket.remoteAddress,
      userAgent: req.headers['user-agent'],
    });
  }

  /** OTLP/HTTP errors carry a google.rpc.Status in the request's encoding. */
  private _answerOtlpError(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    message: string,
    headers: Record<string, string>,
  ): void {
    const json = String(req.headers['content-type'] ?? '').includes('json');
    const body = json
      ? JSON.stringify({ code: status, message })
      : Buffer.from(Status.encode(Status.create({ code: status, message })).finish());
    this._answer(res, 'otlp', status, body, {
      'content-type': json ? 'application/json' : 'application/x-protobuf',
      ...headers,
    });
  }

  private _answer(
    res: ServerResponse,
    receiver: string,
    status: number,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): void {
    if (res.headersSent) return;
    const age = res.socket ? Date.now() - (this._born.get(res.socket) ?? Date.now()) : 0;
    // Recycled after a while (±10 % jitter), so a load balancer spreads Logplex's long-lived connections.
    const maxAge = this._config.connectionMaxAgeSeconds * 1000 * (0.9 + Math.random() * 0.2);
    if (this._stopping !== undefined || age > maxAge) headers.connection = 'close';
    res.writeHead(status, headers);
    res.end(body);
    this.metrics.requests.inc({ receiver, status: String(status) });
  }
}
