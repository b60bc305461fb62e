import type { GatewayMetrics } from '../metrics.ts';
import type { GatewayLogRecord } from './GatewayLogRecord.ts';
import type { Pipeline } from './Pipeline.ts';

/** Options of `RetryingDelivery`. */
export interface RetryingDeliveryOptions {
  /** Records per batch handed to the pipeline. @default 512 */
  batchSize?: number;
  /** How long a partial batch waits for more records. @default 25 */
  lingerMillis?: number;
  /** Records held (gathering, waiting, in flight) before new ones are dropped. @default 50000 */
  maxBacklog?: number;
  /** Batches in flight at once. @default 4 */
  concurrency?: number;
  /** First and longest wait between retries while the downstream fails. @default 250 and 10000 */
  minBackoffMillis?: number;
  maxBackoffMillis?: number;
}

/**
 * Delivery for a source that cannot be asked to send again (core NATS is at most once): records
 * are enriched as their batch closes and forwarded, and a batch the downstream refused or failed
 * is retried with growing pauses instead of being lost. What is held is bounded: beyond
 * `maxBacklog` new records are dropped and counted (as a NATS server drops for a slow consumer),
 * never kept without limit. `stop` delivers what is held within a deadline and counts the rest.
 */
export class RetryingDelivery {
  private readonly _batchSize: number;
  private readonly _linger: number;
  private readonly _maxBacklog: number;
  private readonly _concurrency: number;
  private readonly _minBackoff: number;
  private readonly _maxBackoff: number;
  private _gathering: GatewayLogRecord[] = [];
  private _lingerTimer: NodeJS.Timeout | undefined;
  private readonly _waiting: GatewayLogRecord[][] = [];
  private _inFlight = 0;
  private _held = 0;
  private _backoff = 0;
  private _backoffTimer: NodeJS.Timeout | undefined;
  private _drained: Array<() => void> = [];
  private _stopped = false;

  constructor(
    private readonly _pipeline: Pipeline,
    private readonly _metrics: GatewayMetrics,
    private readonly _receiver: string,
    options: RetryingDeliveryOptions = {},
  ) {
    this._batchSize = options.batchSize ?? 512;
    this._linger = options.lingerMillis ?? 25;
    this._maxBacklog = options.maxBacklog ?? 50_000;
    this._concurrency = options.concurrency ?? 4;
    this._minBackoff = options.minBackoffMillis ?? 250;
    this._maxBackoff = options.maxBackoffMillis ?? 10_000;
  }

  /** Takes one record; never throws and never waits (a full backlog drops it, counted). */
  add(record: GatewayLogRecord): void {
    if (this._stopped || this._held >= this._maxBacklog) {
      this._metrics.dropped.inc({ receiver: this._receiver, reason: this._stopped ? 'shutdown' : 'backlog' });
      return;
    }
    this._held++;
    this._gathering.push(record);
    if (this._gathering.length >= this._batchSize) this._close();
    else this._lingerTimer ??= setTimeout(() => this._close(), this._linger);
  }

  /**
   * Stops taking records and delivers what is held, waiting at most `deadlineMillis`; what is
   * still undelivered then is counted as dropped.
   */
  async stop(deadlineMillis: number): Promise<void> {
    this._stopped = true;
    this._close();
    if (this._held > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMillis);
        this._drained.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    clearTimeout(this._backoffTimer);
    if (this._held > 0) this._metrics.dropped.inc({ receiver: this._receiver, reason: 'shutdown' }, this._held);
  }

  private _close(): void {
    clearTimeout(this._lingerTimer);
    this._lingerTimer = undefined;
    if (this._gathering.length === 0) return;
    const batch = this._gathering;
    this._gathering = [];
    this._pipeline.enrich(this._receiver, batch);
    this._waiting.push(batch);
    this._pump();
  }

  private _pump(): void {
    while (this._inFlight < this._concurrency && this._waiting.length > 0 && this._backoffTimer === undefined) {
      this._send(this._waiting.shift() as GatewayLogRecord[]);
    }
  }

  private _send(batch: GatewayLogRecord[]): void {
    this._inFlight++;
    this._pipeline.forward(this._receiver, batch).then(
      () => {
        this._inFlight--;
        this._backoff = 0;
        this._held -= batch.length;
        if (this._held === 0) for (const wake of this._drained.splice(0)) wake();
        this._pump();
      },
      () => {
        this._inFlight--;
        // Refused (queue full) or failed downstream: kept, and tried again after a pause.
        this._waiting.unshift(batch);
        this._backoff = Math.min(this._maxBackoff, this._backoff === 0 ? this._minBackoff : this._backoff * 2);
        this._backoffTimer ??= setTimeout(() => {
          this._backoffTimer = undefined;
          this._pump();
        }, this._backoff);
      },
    );
  }
}
