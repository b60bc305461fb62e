import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node';
import type { GatewayLog } from '../../log.ts';
import type { GatewayMetrics } from '../../metrics.ts';
import { GatewayLogRecord, nowHrTime, type Scope } from '../../pipeline/GatewayLogRecord.ts';
import type { Pipeline } from '../../pipeline/Pipeline.ts';
import { RetryingDelivery } from '../../pipeline/RetryingDelivery.ts';
import { QueryResources } from '../QueryResources.ts';
import { parseFlyMessage } from './flyMessage.ts';

/** Where and how to read Fly's org log stream (`FLY_*` variables, see config.ts). */
export interface FlyNatsOptions {
  /** @default nats://[fdaa::3]:4223, Fly's stream inside the org's private network */
  url: string;
  /** The org slug, the NATS user. */
  org: string;
  /** A Fly token for the org (`fly tokens create readonly`), the NATS password. */
  token: string;
  /** @default logs.> (every app of the org) */
  subject: string;
  /** A NATS queue group: gateways with the same one share the stream, each message going to one of them. */
  queue: string | undefined;
  /** Records held for the downstream before new messages are dropped (counted). */
  maxBacklog: number;
}

const RECEIVER = 'fly';
const SCOPE: Scope = { name: 'otel-platform-errors.gateway.fly' };
const decoder = new TextDecoder();

/**
 * Subscribes to Fly's org log stream over NATS, as fly-log-shipper does, and turns each message
 * into a record (body the message; app, machine and region on the resource). Core NATS delivers
 * at most once and keeps no history: a message is lost if the gateway is down, cut off as a slow
 * consumer, or holds more than `maxBacklog` records for a failing downstream — each counted in
 * metrics. The client reconnects by itself, forever, with backoff; N gateways in one queue group
 * share the stream.
 */
export class FlyNatsReceiver {
  private readonly _delivery: RetryingDelivery;
  private readonly _resources = new QueryResources();
  private _connection: NatsConnection | undefined;
  private readonly _connecting: Promise<void>;
  private _stopping = false;
  /** Ends the pause between first-connection attempts early (on stop). */
  private _wake: (() => void) | undefined;

  constructor(
    private readonly _options: FlyNatsOptions,
    pipeline: Pipeline,
    private readonly _metrics: GatewayMetrics,
    private readonly _log: GatewayLog,
  ) {
    // Enough batches in flight to keep several export requests busy (the forwarder batches 2048).
    this._delivery = new RetryingDelivery(pipeline, _metrics, RECEIVER, {
      maxBacklog: _options.maxBacklog,
      concurrency: 16,
    });
    // In the background: the gateway serves its HTTP receivers while NATS is (still) unreachable.
    this._connecting = this._connect();
  }

  /** Resolves once the first connection and subscription are made (or the receiver stopped first). */
  ready(): Promise<void> {
    return this._connecting;
  }

  /** Connects (retrying the first connection too, until stopped) and subscribes. */
  private async _connect(): Promise<void> {
    const { url, org, token, subject, queue } = this._options;
    for (let attempt = 0; !this._stopping; attempt++) {
      let nc: NatsConnection;
      try {
        // Once connected, the client itself reconnects forever with backoff.
        nc = await connect({
          servers: url,
          user: org,
          pass: token,
          name: 'otel-platform-errors gateway',
          maxReconnectAttempts: -1,
          reconnectTimeWait: 1000,
          reconnectJitter: 500,
          timeout: 5000,
        });
      } catch (error) {
        this._metrics.natsEvents.inc({ event: 'error' });
        if (attempt === 0 || attempt % 30 === 0) {
          this._log.error('fly: cannot connect to NATS; retrying', { url, error: (error as Error).message });
        }
        await new Promise<void>((resolve) => {
          this._wake = resolve;
          setTimeout(resolve, Math.min(10_000, 500 * 2 ** Math.min(attempt, 5))).unref();
        });
        continue;
      }
      if (this._stopping) {
        await nc.close();
        return;
      }
      this._connection = nc;
      void this._watch(nc);
      nc.subscribe(subject, {
        ...(queue ? { queue } : {}),
        callback: (error, msg) => (error ? this._subscriptionError(error) : this._message(msg)),
      });
      this._log.info('fly: subscribed to the log stream', { url, subject, queue: queue ?? null });
      return;
    }
  }

  private _message(msg: Msg): void {
    try {
      const parsed = parseFlyMessage(decoder.decode(msg.data), msg.subject);
      this._delivery.add(
        // One Resource object per app, machine and region, so the exporters group their records.
        new GatewayLogRecord(this._resources.get('', parsed.resource), SCOPE, {
          body: parsed.body,
          time: parsed.time ?? nowHrTime(),
          observed: nowHrTime(),
          attributes: parsed.attributes,
          severityNumber: parsed.severityNumber,
          severityText: parsed.severityText,
        }),
      );
    } catch (error) {
      this._metrics.rejected.inc({ receiver: RECEIVER, reason: 'unreadable' });
      this._log.debug('fly: message dropped', { error: (error as Error).message });
    }
  }

  private _subscriptionError(error: Error): void {
    this._metrics.natsEvents.inc({ event: 'error' });
    this._log.warn('fly: subscription error', { error: error.message });
  }

  /** Disconnects, reconnects and slow-consumer notices, counted and logged. */
  private async _watch(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      switch (status.type) {
        case 'disconnect':
        case 'reconnect':
          this._metrics.natsEvents.inc({ event: status.type });
          this._log.warn(`fly: NATS ${status.type}`, { server: status.server });
          break;
        case 'slowConsumer':
          this._metrics.natsEvents.inc({ event: 'slow_consumer' });
          this._log.warn('fly: slow consumer: the NATS server may drop messages', { pending: status.pending });
          break;
        case 'error':
          this._metrics.natsEvents.inc({ event: 'error' });
          this._log.warn('fly: NATS error', { error: status.error.message });
          break;
      }
    }
  }

  /** Stops taking messages (the subscription is drained), then delivers what is held within the deadline. */
  async stop(deadlineMillis: number): Promise<void> {
    this._stopping = true;
    this._wake?.();
    await this._connecting;
    const nc = this._connection;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => undefined);
    await this._delivery.stop(deadlineMillis);
  }
}
