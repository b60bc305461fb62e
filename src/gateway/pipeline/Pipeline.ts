import type { Enricher } from '../../core/Enricher.ts';
import { ForwardError, type Forwarder } from '../../otlp/Forwarder.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { GatewayLogRecord } from './GatewayLogRecord.ts';

/**
 * What every receiver hands its records to: the recognition core enriches them (the same code
 * as the SDK processor), the forwarder batches them across requests and tells when the
 * downstream accepted them. A receiver answers its sender only after `accept` settles.
 */
export class Pipeline {
  constructor(
    private readonly _enricher: Enricher,
    private readonly _forwarder: Forwarder,
    private readonly _metrics: GatewayMetrics,
  ) {}

  /** Whether the downstream accepted the last export (readiness). */
  get healthy(): boolean {
    return this._forwarder.healthy;
  }

  /**
   * Enriches the records and resolves once the downstream accepted all of them; rejects with a
   * ForwardError (queue full, deadline passed, export failed) when it did not.
   */
  async accept(
    receiver: string,
    records: GatewayLogRecord[],
    deadlineMillis?: number,
    signal?: AbortSignal,
  ): Promise<void> {
    this.enrich(receiver, records);
    await this.forward(receiver, records, deadlineMillis, signal);
  }

  /**
   * Counts the records in and writes what each one's code means — once per record: a retry
   * forwards again, it does not enrich again. Returns the records that hold a code.
   */
  enrich(receiver: string, records: readonly GatewayLogRecord[]): GatewayLogRecord[] {
    this._metrics.received.inc({ receiver }, records.length);
    const coded: GatewayLogRecord[] = [];
    for (const record of records) {
      const match = this._enricher.enrich(record);
      if (match) {
        coded.push(record);
        this._metrics.matched.inc({
          platform: match.entry.platform,
          code: match.entry.code,
          platform_fault: String(match.entry.platform_fault),
        });
      }
    }
    return coded;
  }

  /** Resolves once the downstream accepted all the (already enriched) records. */
  async forward(
    receiver: string,
    records: readonly GatewayLogRecord[],
    deadlineMillis?: number,
    signal?: AbortSignal,
  ): Promise<void> {
    try {
      await this._forwarder.push(records, deadlineMillis, signal);
    } catch (error) {
      if (error instanceof ForwardError && (error.reason === 'full' || error.reason === 'deadline')) {
        this._metrics.backpressure.inc({ receiver, reason: error.reason });
      }
      throw error;
    }
  }

  shutdown(): Promise<void> {
    return this._forwarder.shutdown();
  }
}
