import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** Why records handed to `push` were not delivered. */
export class ForwardError extends Error {
  constructor(
    message: string,
    /**
     * `full`: refused, the queue had no room · `deadline`: not acknowledged in time · `export`:
     * the downstream failed · `cancelled`: the sender gave up (closed its connection) · `shutdown`:
     * the forwarder stopped.
     */
    public readonly reason: 'full' | 'deadline' | 'export' | 'cancelled' | 'shutdown',
  ) {
    super(message);
    this.name = 'ForwardError';
  }
}

/** Options of `Forwarder`. */
export interface ForwarderOptions {
  /** Where batches go: an OTLP log exporter (which retries 429/502/503/504 itself, honouring Retry-After). */
  exporter: LogRecordExporter;
  /** Records per export request. @default 1024 */
  maxBatchSize?: number;
  /** How long a partial batch waits for more records before it is sent. @default 20 */
  lingerMillis?: number;
  /** Records held (waiting and in flight) before `push` refuses more. @default 65536 */
  maxQueueSize?: number;
  /** Export requests in flight at once. @default 4 */
  maxConcurrentExports?: number;
  /** Called after every export request with its size, outcome and duration in seconds (for metrics). */
  onExport?: (records: number, error: Error | undefined, seconds: number) => void;
}

/** Records of one `push`: acknowledged when all of them were, failed when any of them failed. */
interface Ticket {
  readonly records: readonly ReadableLogRecord[];
  /** Index of the first record not yet taken into a batch. */
  next: number;
  /** Records taken into batches whose export has not succeeded yet, plus those not taken. */
  unacknowledged: number;
  settled: boolean;
  resolve: () => void;
  reject: (error: ForwardError) => void;
  timer: NodeJS.Timeout | undefined;
}

/** A part of a ticket inside one export request. */
interface Part {
  ticket: Ticket;
  start: number;
  count: number;
}

/**
 * Batches records across callers, exports them with an OTLP exporter, and tells each caller when
 * its records were accepted downstream — the end-to-end acknowledgement a receiver needs before it
 * answers 2xx. Memory is bounded: `push` refuses records beyond `maxQueueSize` (back-pressure),
 * a caller's records that missed their deadline or whose batch failed are dropped from the queue
 * (the sender retries them), and nothing is retried here beyond the exporter's own retries.
 */
export class Forwarder {
  private readonly _exporter: LogRecordExporter;
  private readonly _maxBatch: number;
  private readonly _linger: number;
  private readonly _maxQueue: number;
  private readonly _maxConcurrent: number;
  private readonly _onExport: ForwarderOptions['onExport'];
  private readonly _tickets: Ticket[] = [];
  /** Records not yet taken into a batch. */
  private _waiting = 0;
  /** Records in export requests that have not completed. */
  private _inFlight = 0;
  private _exports = 0;
  private _lingerTimer: NodeJS.Timeout | undefined;
  private _rooms: Array<() => void> = [];
  private _idle: Array<() => void> = [];
  private _consecutiveFailures = 0;
  private _closed = false;

  constructor(options: ForwarderOptions) {
    this._exporter = options.exporter;
    this._maxBatch = Math.max(1, options.maxBatchSize ?? 1024);
    this._linger = Math.max(0, options.lingerMillis ?? 20);
    this._maxQueue = Math.max(this._maxBatch, options.maxQueueSize ?? 65536);
    this._maxConcurrent = Math.max(1, options.maxConcurrentExports ?? 4);
    this._onExport = options.onExport;
  }

  /** Records waiting for a batch or in flight. */
  get queued(): number {
    return this._waiting + this._inFlight;
  }

  /** False from a failed export until the next successful one. */
  get healthy(): boolean {
    return this._consecutiveFailures === 0;
  }

  /** Whether `count` more records fit now. */
  hasRoom(count = 1): boolean {
    return this.queued + count <= this._maxQueue;
  }

  /** Resolves once the queue has room again (at once when it has). */
  room(): Promise<void> {
    if (this.hasRoom() || this._closed) return Promise.resolve();
    return new Promise((resolve) => this._rooms.push(resolve));
  }

  /**
   * Queues records for export. Resolves when every one of them was accepted downstream; rejects
   * with a `ForwardError` when there is no room, when `deadlineMillis` passes first, when `signal`
   * aborts (the sender went away), or when the export of any of them fails. A rejected push's
   * records that were not sent yet are dropped, so a sender that retries does not get them twice.
   */
  push(records: readonly ReadableLogRecord[], deadlineMillis?: number, signal?: AbortSignal): Promise<void> {
    if (this._closed) return Promise.reject(new ForwardError('the forwarder is shut down', 'shutdown'));
    if (records.length === 0) return Promise.resolve();
    if (!this.hasRoom(records.length)) {
      return Promise.reject(new ForwardError(`no room for ${records.length} records (${this.queued} queued)`, 'full'));
    }
    return new Promise<void>((resolve, reject) => {
      const ticket: Ticket = {
        records,
        next: 0,
        unacknowledged: records.length,
        settled: false,
        resolve,
        reject,
        timer: undefined,
      };
      if (deadlineMillis !== undefined && Number.isFinite(deadlineMillis)) {
        ticket.timer = setTimeout(
          () => this._fail(ticket, new ForwardError(`not acknowledged within ${deadlineMillis} ms`, 'deadline')),
          deadlineMillis,
        );
        ticket.timer.unref?.();
      }
      if (signal) {
        const cancel = () =>
          this._fail(ticket, new ForwardError('the sender gave up before the acknowledgement', 'cancelled'));
        if (signal.aborted) queueMicrotask(cancel);
        else signal.addEventListener('abort', cancel, { once: true });
      }
      this._tickets.push(ticket);
      this._waiting += records.length;
      this._dispatch(false);
    });
  }

  /** Sends whatever waits and resolves when nothing is queued or in flight. */
  async flush(): Promise<void> {
    this._dispatch(true);
    if (this.queued === 0) return;
    await new Promise<void>((resolve) => this._idle.push(resolve));
  }

  /** Stops accepting, flushes, and shuts the exporter down. */
  async shutdown(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    await this.flush();
    await this._exporter.shutdown();
    for (const wake of this._rooms.splice(0)) wake();
  }

  /**
   * Starts export requests while there are full batches (or, with `partial`, any records) and a
   * free slot. A short remainder waits for more records, or for the linger timer; records beyond
   * the free slots wait for an export to complete.
   */
  private _dispatch(partial: boolean): void {
    while (this._exports < this._maxConcurrent && (this._waiting >= this._maxBatch || (partial && this._waiting > 0))) {
      this._exportBatch(this._takeBatch());
    }
    if (this._waiting > 0 && this._waiting < this._maxBatch && this._lingerTimer === undefined) {
      this._lingerTimer = setTimeout(() => {
        this._lingerTimer = undefined;
        this._dispatch(true);
      }, this._linger);
      this._lingerTimer.unref?.();
    }
  }

  private _takeBatch(): Part[] {
    const parts: Part[] = [];
    let size = 0;
    while (size < this._maxBatch && this._tickets.length > 0) {
      const ticket = this._tickets[0] as Ticket;
      const count = Math.min(ticket.records.length - ticket.next, this._maxBatch - size);
      parts.push({ ticket, start: ticket.next, count });
      ticket.next += count;
      size += count;
      if (ticket.next === ticket.records.length) this._tickets.shift();
    }
    this._waiting -= size;
    this._inFlight += size;
    return parts;
  }

  private _exportBatch(parts: Part[]): void {
    const batch: ReadableLogRecord[] = [];
    for (const { ticket, start, count } of parts) {
      for (let i = start; i < start + count; i++) batch.push(ticket.records[i] as ReadableLogRecord);
    }
    this._exports++;
    const started = performance.now();
    let done = false;
    const complete = (error: Error | undefined) => {
      if (done) return;
      done = true;
      this._exports--;
      this._inFlight -= batch.length;
      this._consecutiveFailures = error ? this._consecutiveFailures + 1 : 0;
      this._onExport?.(batch.length, error, (performance.now() - started) / 1000);
      for (const { ticket, count } of parts) {
        if (error) this._fail(ticket, new ForwardError(`export failed: ${error.message}`, 'export'));
        else {
          ticket.unacknowledged -= count;
          if (ticket.unacknowledged === 0) this._succeed(ticket);
        }
      }
      this._afterProgress();
    };
    try {
      this._exporter.export(batch, (result) =>
        complete(result.code === 0 ? undefined : (result.error ?? new Error('the exporter reported a failure'))),
      );
    } catch (error) {
      complete(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private _succeed(ticket: Ticket): void {
    if (ticket.settled) return;
    ticket.settled = true;
    clearTimeout(ticket.timer);
    ticket.resolve();
  }

  /** Fails a ticket once and drops its records that were not taken into a batch yet. */
  private _fail(ticket: Ticket, error: ForwardError): void {
    if (ticket.settled) return;
    ticket.settled = true;
    clearTimeout(ticket.timer);
    const unsent = ticket.records.length - ticket.next;
    if (unsent > 0) {
      ticket.next = ticket.records.length;
      this._waiting -= unsent;
      const index = this._tickets.indexOf(ticket);
      if (index !== -1) this._tickets.splice(index, 1);
    }
    ticket.reject(error);
    this._afterProgress();
  }

  private _afterProgress(): void {
    if (this.hasRoom()) for (const wake of this._rooms.splice(0)) wake();
    if (this._waiting > 0) this._dispatch(this._closed);
    if (this.queued === 0) for (const wake of this._idle.splice(0)) wake();
  }
}
