import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { Forwarder } from '../../otlp/Forwarder.ts';

/**
 * `enrich --otlp`: hands the records of each chunk of input to the forwarder, waits when its
 * queue is full (so a fast reader never outruns the collector into dropped records), and counts
 * what the collector acknowledged. Whatever was not acknowledged by the end is undelivered.
 */
export class Delivery {
  private _batch: ReadableLogRecord[] = [];
  private readonly _pending = new Set<Promise<void>>();
  private _total = 0;
  private _delivered = 0;
  private _firstError: Error | undefined;

  constructor(
    private readonly _forwarder: Forwarder,
    /** Where the records go, for messages. */
    readonly endpoint: string,
    /** Prints a warning unless --quiet. */
    private readonly _warn: (message: string) => void,
  ) {}

  add(record: ReadableLogRecord): void {
    this._batch.push(record);
  }

  /** Queues what was added since the last call; resolves once the queue has room for more. */
  async send(): Promise<void> {
    const records = this._batch;
    if (records.length === 0) return;
    this._batch = [];
    this._total += records.length;
    const pushed = this._forwarder.push(records).then(
      () => {
        this._delivered += records.length;
      },
      (error: Error) => {
        if (this._firstError === undefined) {
          this._firstError = error;
          this._warn(`OTLP export to ${this.endpoint} failed: ${error.message} (lines are still printed)`);
        }
      },
    );
    this._pending.add(pushed);
    void pushed.finally(() => this._pending.delete(pushed));
    await this._forwarder.room();
  }

  /** Flushes (waiting at most `timeout` ms, or `failingTimeout` once an export failed); returns the undelivered count. */
  async finish(timeout: number, failingTimeout: number): Promise<number> {
    await this.send();
    const wait = this._firstError === undefined ? timeout : failingTimeout;
    const settled = Promise.allSettled([this._forwarder.flush(), ...this._pending]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
    clearTimeout(timer);
    // Whatever is still in flight now will not be waited for: the process is about to exit.
    void this._forwarder.shutdown().catch(() => {});
    return this._total - this._delivered;
  }

  /** One line for stderr when records were not delivered. */
  failureMessage(undelivered: number): string {
    const reason = this._firstError?.message ?? 'the collector did not acknowledge them in time';
    return `${undelivered} of ${this._total} records were not delivered to ${this.endpoint}: ${reason}`;
  }
}
