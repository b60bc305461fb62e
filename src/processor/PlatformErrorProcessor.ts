import { type Attributes, type Context, type Counter, diag } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { Catalog } from '../catalog/Catalog.ts';
import { loadCatalog } from '../catalog/loadCatalog.ts';
import type { CatalogEntry, Severity } from '../catalog/types.ts';
import { isPlainObject } from '../recognisers/fields.ts';
import { recognisers as builtinRecognisers } from '../recognisers/index.ts';
import type { Recogniser, Recognition, RecordView } from '../recognisers/types.ts';
import type { AttributeKeys, PlatformErrorProcessorOptions } from '../types.ts';

const DEFAULT_KEYS: Required<AttributeKeys> = {
  code: 'error.type',
  platform: 'platform',
  category: 'category',
  platformFault: 'platform_fault',
  remedyUrl: 'remedy_url',
  cause: 'platform_error.cause',
  listed: 'platform_error.listed',
};

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
  private readonly _matches: Counter | undefined;
  private readonly _failures: Counter | undefined;
  private readonly _metricAttributes = new WeakMap<CatalogEntry, Attributes>();
  private readonly _view: RecordView = {
    text: undefined,
    object: undefined,
    attributes: {},
    hint: undefined,
    wantFields: false,
  };
  private _lastResource: unknown;
  private _lastHint: string | undefined;
  private _isShutdown = false;
  private _warnedDropped = false;

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
    this._keys = { ...DEFAULT_KEYS, ...options.attributes };
    this._overwrite = options.overwrite ?? false;
    this._adjustSeverity = options.adjustSeverity ?? false;
    this._maxScan = Math.max(64, options.maxScanLength ?? 16384);
    this._view.wantFields = options.extractFields ?? false;
    this._all = options.processors ?? [];
    this._faults = options.platformFaultProcessors ?? [];
    this._matched = options.matchedProcessors ?? [];
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
    if (this._isShutdown) return;
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
    return this._downstream().some((p) => p.enabled === undefined || p.enabled(options));
  }

  public async forceFlush(): Promise<void> {
    await Promise.all(this._downstream().map((p) => p.forceFlush()));
  }

  public async shutdown(): Promise<void> {
    this._isShutdown = true;
    await Promise.all(this._downstream().map((p) => p.shutdown()));
  }

  private _downstream(): LogRecordProcessor[] {
    return [...new Set([...this._all, ...this._matched, ...this._faults])];
  }

  /** The platform the resource (or the record) names through `cloud.provider`, cached per resource. */
  private _hintFor(record: ReadWriteLogRecord): string | undefined {
    const own = record.attributes['cloud.provider'];
    if (typeof own === 'string') return this._platformNamed(own);
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
    this._set(record, keys.code, entry.code);
    this._set(record, keys.platform, entry.platform);
    this._set(record, keys.category, entry.category);
    this._set(record, keys.platformFault, entry.platform_fault);
    this._set(record, keys.remedyUrl, entry.remedy_url);
    if (found.cause !== undefined) this._set(record, keys.cause, found.cause);
    if (!entry.listed) this._set(record, keys.listed, false);
    if (found.fields) for (const key in found.fields) this._set(record, key, found.fields[key]);
    if (this._adjustSeverity) raiseSeverity(record, entry.severity);
    if (keys.code !== null && record.attributes[keys.code] === undefined) this._warnDropped();
    this._matches?.add(1, this._metricAttributesOf(entry));
  }

  private _set(record: ReadWriteLogRecord, key: string | null, value: string | number | boolean | undefined): void {
    if (key === null || value === undefined) return;
    if (!this._overwrite && record.attributes[key] !== undefined) return;
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
      'PlatformErrorProcessor: the SDK dropped our attributes (attribute count limit reached); raise logRecordLimits.attributeCountLimit. Reported once.',
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
