import { type Attributes, type Context, type Counter, diag } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { DEFAULT_ATTRIBUTE_KEYS } from '../core/attributes.ts';
import type { Catalog } from '../core/catalog/Catalog.ts';
import { loadCatalog } from '../core/catalog/loadCatalog.ts';
import type { CatalogEntry, Severity } from '../core/catalog/types.ts';
import { isPlainObject, own } from '../core/recognisers/fields.ts';
import { recognisers as builtinRecognisers } from '../core/recognisers/index.ts';
import type { Recogniser, Recognition, RecordView } from '../core/recognisers/types.ts';
import type { AttributeKeys, PlatformErrorProcessorOptions } from '../types.ts';

/** Only this much of a string body is scanned unless `maxScanLength` says otherwise; never less than the floor. */
const DEFAULT_MAX_SCAN = 16384;
const MIN_MAX_SCAN = 64;

/** SeverityNumber values (stable across API versions), so no Logs API import is needed. */
const SEVERITY: Record<Severity, { number: number; text: string }> = {
  info: { number: 9, text: 'INFO' },
  warning: { number: 13, text: 'WARN' },
  error: { number: 17, text: 'ERROR' },
};

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
  public readonly catalog: Catalog;
  private readonly _recognisers: readonly Recogniser[];
  private readonly _keys: Required<AttributeKeys>;
  private readonly _overwrite: boolean;
  private readonly _adjustSeverity: boolean;
  private readonly _maxScan: number;
  private readonly _all: LogRecordProcessor[];
  private readonly _faults: LogRecordProcessor[];
  private readonly _matched: LogRecordProcessor[];
  /** Every downstream processor once, computed up front: `enabled()` runs on every emit. */
  private readonly _downstream: readonly LogRecordProcessor[];
  private readonly _matches: Counter | undefined;
  private readonly _failures: Counter | undefined;
  private readonly _metricAttributes = new WeakMap<CatalogEntry, Attributes>();
  private readonly _view: RecordView = {
    text: undefined,
    object: undefined,
    attributes: {},
    hint: undefined,
    wantFields: false,
    maxScan: DEFAULT_MAX_SCAN,
  };
  private _lastResource: unknown;
  private _lastHint: string | undefined;
  private _shutdown: Promise<void> | undefined;
  private _warnedDropped = false;
  /** Whether the SDK asked `enabled()` before this emit: see `_checkOrder`. */
  private _consulted = false;
  private _warnedOrder = false;

  constructor(options: PlatformErrorProcessorOptions = {}) {
    this.catalog = options.catalog ?? loadCatalog({ sources: options.catalogs ?? [] });
    const platforms = options.platforms;
    this._recognisers = builtinRecognisers.filter(
      (r) =>
        this.catalog.platform(r.platform) !== undefined && (platforms === undefined || platforms.includes(r.platform)),
    );
    for (const unknown of (platforms ?? []).filter((p) => !this._recognisers.some((r) => r.platform === p))) {
      diag.warn(`PlatformErrorProcessor: no recogniser for platform "${unknown}"; it is ignored`);
    }
    this._keys = { ...DEFAULT_ATTRIBUTE_KEYS, ...options.attributes };
    this._overwrite = options.overwrite ?? false;
    this._adjustSeverity = options.adjustSeverity ?? false;
    const max = options.maxScanLength;
    this._maxScan = typeof max === 'number' && !Number.isNaN(max) ? Math.max(MIN_MAX_SCAN, max) : DEFAULT_MAX_SCAN;
    this._view.maxScan = this._maxScan;
    this._view.wantFields = options.extractFields ?? false;
    // A processor listed in several lists gets each record once: `processors` first, then matched.
    this._all = options.processors ?? [];
    this._matched = (options.matchedProcessors ?? []).filter((p) => !this._all.includes(p));
    this._faults = (options.platformFaultProcessors ?? []).filter(
      (p) => !this._all.includes(p) && !this._matched.includes(p),
    );
    this._downstream = [...new Set([...this._all, ...this._matched, ...this._faults])];
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

  /** Finds a platform code in the record; undefined when there is none. Pure: writes nothing. */
  public recognise(record: ReadWriteLogRecord): Recognition | undefined {
    const view = this._view;
    const body = record.body;
    view.text =
      typeof body === 'string' ? (body.length > this._maxScan ? body.slice(0, this._maxScan) : body) : undefined;
    view.object = view.text === undefined && isPlainObject(body) ? body : undefined;
    view.attributes = record.attributes;
    view.hint = this._hintFor(record);
    if (view.hint !== undefined) {
      const hinted = this._recognisers.find((r) => r.platform === view.hint);
      const found = hinted?.recognise(view, this.catalog);
      if (found) return found;
    }
    for (const recogniser of this._recognisers) {
      if (recogniser.platform === view.hint) continue;
      const found = recogniser.recognise(view, this.catalog);
      if (found) return found;
    }
    return undefined;
  }

  public onEmit(record: ReadWriteLogRecord, context?: Context): void {
    if (this._shutdown) return;
    this._checkOrder();
    let entry: CatalogEntry | undefined;
    try {
      const found = this.recognise(record);
      entry = found && this.catalog.resolve(found.platform, found.code);
      if (found && entry) this._enrich(record, found, entry);
    } catch (error) {
      entry = undefined;
      this._failures?.add(1);
      diag.error('PlatformErrorProcessor: failed to examine a log record; it is passed on unchanged', error);
    }
    forward(this._all, record, context);
    if (entry) {
      forward(this._matched, record, context);
      if (entry.platform_fault) forward(this._faults, record, context);
    }
  }

  /** True when a downstream processor would take the record; false (no opinion) without any. */
  public enabled(options: Parameters<NonNullable<LogRecordProcessor['enabled']>>[0]): boolean {
    this._consulted = true;
    for (const p of this._downstream) if (p.enabled === undefined || p.enabled(options)) return true;
    return false;
  }

  public async forceFlush(): Promise<void> {
    await Promise.all(this._downstream.map((p) => p.forceFlush()));
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
        'PlatformErrorProcessor: the SDK did not consult it before this record, so another processor is registered in front of it; if that one exports, records leave without platform attributes. Register PlatformErrorProcessor first, or pass the exporting processors through its `processors` option. Reported once.',
      );
    }
    this._consulted = false;
  }

  /** The platform the resource (or the record) names through `cloud.provider`, cached per resource. */
  private _hintFor(record: ReadWriteLogRecord): string | undefined {
    const named = own(record.attributes, 'cloud.provider');
    if (typeof named === 'string') return this._platformNamed(named);
    const resource = record.resource;
    if (resource !== this._lastResource) {
      this._lastResource = resource;
      const provider = resource?.attributes?.['cloud.provider'];
      this._lastHint = typeof provider === 'string' ? this._platformNamed(provider) : undefined;
    }
    return this._lastHint;
  }

  private _platformNamed(provider: string): string | undefined {
    return this._recognisers.find((r) => r.providerNames.includes(provider))?.platform;
  }

  private _enrich(record: ReadWriteLogRecord, found: Recognition, entry: CatalogEntry): void {
    const keys = this._keys;
    const dropped = record.droppedAttributesCount;
    this._set(record, keys.code, entry.code);
    this._set(record, keys.platform, entry.platform);
    this._set(record, keys.category, entry.category);
    this._set(record, keys.platformFault, entry.platform_fault);
    this._set(record, keys.remedyUrl, entry.remedy_url);
    if (found.cause !== undefined) this._set(record, keys.cause, found.cause);
    if (!entry.listed) this._set(record, keys.listed, false);
    if (found.fields) for (const key in found.fields) this._set(record, key, found.fields[key]);
    if (this._adjustSeverity) raiseSeverity(record, entry.severity);
    if (record.droppedAttributesCount > dropped) this._warnDropped();
    this._matches?.add(1, this._metricAttributesOf(entry));
  }

  private _set(record: ReadWriteLogRecord, key: string | null, value: string | number | boolean | undefined): void {
    if (key === null || value === undefined) return;
    // Own properties only: an attribute named `__proto__` makes others look inherited.
    if (!this._overwrite && own(record.attributes, key) !== undefined) return;
    record.setAttribute(key, value);
  }

  private _metricAttributesOf(entry: CatalogEntry): Attributes {
    let attributes = this._metricAttributes.get(entry);
    if (!attributes) {
      attributes = { platform: entry.platform, 'error.type': entry.code, platform_fault: entry.platform_fault };
      this._metricAttributes.set(entry, attributes);
    }
    return attributes;
  }

  private _warnDropped(): void {
    if (this._warnedDropped) return;
    this._warnedDropped = true;
    diag.warn(
      'PlatformErrorProcessor: the SDK dropped some of its attributes (attribute count limit reached); raise logRecordLimits.attributeCountLimit. Reported once.',
    );
  }
}

function raiseSeverity(record: ReadWriteLogRecord, severity: Severity): void {
  const target = SEVERITY[severity];
  if (record.severityNumber === undefined || record.severityNumber < target.number) {
    record.setSeverityNumber(target.number);
    record.setSeverityText(target.text);
  }
}

function forward(processors: LogRecordProcessor[], record: ReadWriteLogRecord, context: Context | undefined): void {
  for (const processor of processors) {
    try {
      processor.onEmit(record, context);
    } catch (error) {
      diag.error('PlatformErrorProcessor: a downstream processor threw in onEmit', error);
    }
  }
}
