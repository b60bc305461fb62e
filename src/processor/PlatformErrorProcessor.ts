import { type Attributes, type Context, type Counter, diag } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { Catalog } from '../core/catalog/Catalog.ts';
import type { CatalogEntry } from '../core/catalog/types.ts';
import { Enricher, type Match } from '../core/Enricher.ts';
import type { PlatformErrorProcessorOptions } from '../types.ts';

/** What MultiLogRecordProcessor waits for each processor's flush by default. */
const DEFAULT_FLUSH_TIMEOUT_MS = 30_000;

/**
 * Recognises Heroku, Fly.io and Cloudflare error codes in log records and attaches what they
 * mean: `error.type` (the code), `platform`, `category`, `platform_fault` and `remedy_url`.
 *
 * It must see a record before any exporting processor does. Pass the exporting processors as
 * `processors` (and, optionally, `platformFaultProcessors` / `matchedProcessors`) and register
 * only this one with the LoggerProvider:
 *
 * ```ts
 * new LoggerProvider({ processors: [new PlatformErrorProcessor({
 *   processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })],
 * })] });
 * ```
 *
 * `onEmit` never throws; internal failures are reported through `diag`.
 */
export class PlatformErrorProcessor implements LogRecordProcessor {
  private readonly _enricher: Enricher;
  private readonly _all: LogRecordProcessor[];
  private readonly _faults: LogRecordProcessor[];
  private readonly _matched: LogRecordProcessor[];
  /** Every downstream processor once, computed up front: `enabled()` runs on every emit. */
  private readonly _downstream: readonly LogRecordProcessor[];
  private readonly _flushTimeout: number;
  private readonly _matches: Counter | undefined;
  private readonly _failures: Counter | undefined;
  private readonly _metricAttributes = new WeakMap<CatalogEntry, Attributes>();
  private _shutdown: Promise<void> | undefined;
  /** Whether the SDK asked `enabled()` before this emit: see `_checkOrder`. */
  private _consulted = false;
  private _warnedOrder = false;

  constructor(options: PlatformErrorProcessorOptions = {}) {
    this._enricher = new Enricher(options);
    // A processor listed in several lists gets each record once: `processors` first, then matched.
    this._all = options.processors ?? [];
    this._matched = (options.matchedProcessors ?? []).filter((p) => !this._all.includes(p));
    this._faults = (options.platformFaultProcessors ?? []).filter(
      (p) => !this._all.includes(p) && !this._matched.includes(p),
    );
    this._downstream = [...new Set([...this._all, ...this._matched, ...this._faults])];
    this._flushTimeout = options.forceFlushTimeoutMillis ?? DEFAULT_FLUSH_TIMEOUT_MS;
    const meter = options.meterProvider?.getMeter('otel-platform-errors');
    this._matches = meter?.createCounter('platform_errors.matched', {
      description: 'Log records in which a platform error code was recognised',
      unit: '{record}',
    });
    this._failures = meter?.createCounter('platform_errors.failures', {
      description: 'Records the processor could not examine because of an internal error',
      unit: '{record}',
    });
  }

  /** The catalog the processor resolves codes with. */
  public get catalog(): Catalog {
    return this._enricher.catalog;
  }

  /**
   * What the processor would find in a record — the recognised code and its catalog entry — or
   * undefined. Pure: it writes nothing to the record, and it never throws.
   */
  public recognise(record: ReadWriteLogRecord): Match | undefined {
    return this._enricher.examine(record);
  }

  public onEmit(record: ReadWriteLogRecord, context?: Context): void {
    if (this._shutdown) return;
    this._checkOrder();
    let match: Match | undefined;
    try {
      match = this._enricher.enrich(record);
      if (match) this._matches?.add(1, this._metricAttributesOf(match.entry));
    } catch (error) {
      match = undefined;
      this._failures?.add(1);
      diag.error('otel-platform-errors: failed to enrich a log record; it is passed on as it is', error);
    }
    forward(this._all, record, context);
    if (match) {
      forward(this._matched, record, context);
      if (match.entry.platform_fault) forward(this._faults, record, context);
    }
  }

  /** True when a downstream processor would take the record; false (no opinion) without any. */
  public enabled(options: Parameters<NonNullable<LogRecordProcessor['enabled']>>[0]): boolean {
    this._consulted = true;
    for (const p of this._downstream) if (p.enabled === undefined || p.enabled(options)) return true;
    return false;
  }

  /**
   * Flushes every downstream processor, each within `timeoutMillis` (the caller's, else
   * `forceFlushTimeoutMillis`), passing the options on as MultiLogRecordProcessor does. Rejects
   * when one of them fails or times out.
   */
  public async forceFlush(options?: { timeoutMillis?: number }): Promise<void> {
    const timeout = options?.timeoutMillis ?? this._flushTimeout;
    await Promise.all(this._downstream.map((p) => withTimeout(p.forceFlush({ timeoutMillis: timeout }), timeout)));
  }

  public shutdown(): Promise<void> {
    this._shutdown ??= Promise.all(this._downstream.map((p) => p.shutdown())).then(() => undefined);
    return this._shutdown;
  }

  /**
   * Before each record the SDK asks its processors `enabled()` in registration order and stops at
   * the first that has no such method (Simple and Batch have none). So if we were not asked, another
   * processor — possibly an exporting one — is registered in front of us, and the record may have
   * left without our attributes.
   */
  private _checkOrder(): void {
    if (!this._consulted && !this._warnedOrder) {
      this._warnedOrder = true;
      diag.warn(
        'otel-platform-errors: the SDK did not consult the PlatformErrorProcessor it before this record, so another processor is registered in front of it; if that one exports, records leave without platform attributes. Register PlatformErrorProcessor first, or pass the exporting processors through its `processors` option. Reported once.',
      );
    }
    this._consulted = false;
  }

  private _metricAttributesOf(entry: CatalogEntry): Attributes {
    let attributes = this._metricAttributes.get(entry);
    if (!attributes) {
      attributes = { platform: entry.platform, 'error.type': entry.code, platform_fault: entry.platform_fault };
      this._metricAttributes.set(entry, attributes);
    }
    return attributes;
  }
}

function forward(processors: LogRecordProcessor[], record: ReadWriteLogRecord, context: Context | undefined): void {
  for (const processor of processors) {
    try {
      processor.onEmit(record, context);
    } catch (error) {
      diag.error('otel-platform-errors: a downstream processor of PlatformErrorProcessor threw in onEmit', error);
    }
  }
}

/** The SDK's callWithTimeout: rejects when `promise` has not settled within `timeout` ms. */
function withTimeout(promise: Promise<void>, timeout: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`forceFlush did not finish within ${timeout} ms`)), timeout);
    timer.unref?.();
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
