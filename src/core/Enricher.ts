import { diag } from '@opentelemetry/api';
import type { AttributeKeys, EnricherOptions } from '../types.ts';
import { DEFAULT_ATTRIBUTE_KEYS } from './attributes.ts';
import type { Catalog } from './catalog/Catalog.ts';
import { loadCatalog } from './catalog/loadCatalog.ts';
import type { CatalogEntry, Severity } from './catalog/types.ts';
import { Prefilter } from './Prefilter.ts';
import { isPlainObject, own, scannedPart } from './recognisers/fields.ts';
import { recognisers as builtinRecognisers } from './recognisers/index.ts';
import type { Recogniser, Recognition, RecordView } from './recognisers/types.ts';
import type { EnrichableLogRecord } from './record.ts';
import { severityOfLevel } from './severity.ts';

/** Only this much of a string body is scanned unless `maxScanLength` says otherwise; never less than the floor. */
const DEFAULT_MAX_SCAN = 16384;
const MIN_MAX_SCAN = 64;

/** A recognised code and the catalog entry that says what it means. */
export interface Match {
  recognition: Recognition;
  entry: CatalogEntry;
}

/**
 * The recognition core shared by the SDK processor and the gateway: finds a platform code in a
 * record (pre-filter, then the platforms' recognisers) and writes what the catalog says about it.
 */
export class Enricher {
  public readonly catalog: Catalog;
  public readonly recognisers: readonly Recogniser[];
  private readonly _prefilter: Prefilter;
  private readonly _byProvider = new Map<string, Recogniser>();
  private readonly _keys: Required<AttributeKeys>;
  private readonly _overwrite: boolean;
  private readonly _adjustSeverity: boolean;
  private readonly _wantFields: boolean;
  private readonly _maxScan: number;
  private _warnedDropped = false;

  constructor(options: EnricherOptions = {}) {
    this.catalog = options.catalog ?? loadCatalog({ sources: options.catalogs ?? [] });
    this.recognisers = selectRecognisers(this.catalog, options);
    this._prefilter = new Prefilter(this.recognisers, this.catalog);
    for (const r of this.recognisers) for (const name of r.providerNames) this._byProvider.set(name, r);
    this._keys = { ...DEFAULT_ATTRIBUTE_KEYS, ...options.attributes };
    this._overwrite = options.overwrite ?? false;
    this._adjustSeverity = options.adjustSeverity ?? false;
    this._wantFields = options.extractFields ?? false;
    const max = options.maxScanLength;
    this._maxScan = typeof max === 'number' && !Number.isNaN(max) ? Math.max(MIN_MAX_SCAN, max) : DEFAULT_MAX_SCAN;
  }

  /**
   * The code a record holds and its catalog entry, or undefined. Pure: it writes nothing, and a
   * record that makes a recogniser fail counts as holding no code (reported through diag).
   */
  public examine(record: EnrichableLogRecord): Match | undefined {
    try {
      return this._mayMatch(record) ? this._recognise(record) : undefined;
    } catch (error) {
      diag.error('otel-platform-errors: failed to examine a log record; it is treated as holding no code', error);
      return undefined;
    }
  }

  /**
   * Examines the record and writes the attributes of what it holds — all of them or, at the
   * SDK's attribute limits, what fits. Returns the entry, or undefined when there was no code.
   */
  public enrich(record: EnrichableLogRecord): Match | undefined {
    const match = this.examine(record);
    if (match) this._write(record, match);
    return match;
  }

  /** The pre-filter's verdict alone. For the soundness tests. @internal */
  public mayMatch(record: EnrichableLogRecord): boolean {
    return this._mayMatch(record);
  }

  /** What the recognisers find without the pre-filter in front. For the soundness tests. @internal */
  public examineUnfiltered(record: EnrichableLogRecord): Match | undefined {
    return this._recognise(record);
  }

  private _mayMatch(record: EnrichableLogRecord): boolean {
    const body = record.body;
    if (typeof body === 'string') {
      if (this._prefilter.text(scannedPart(body, this._maxScan))) return true;
    } else if (isPlainObject(body) && this._prefilter.object(body, this._maxScan)) {
      return true;
    }
    return this._prefilter.fields(record.attributes);
  }

  private _recognise(record: EnrichableLogRecord): Match | undefined {
    const body = record.body;
    const text = typeof body === 'string' ? scannedPart(body, this._maxScan) : undefined;
    const view: RecordView = {
      text,
      object: text === undefined && isPlainObject(body) ? body : undefined,
      attributes: record.attributes,
      hint: undefined,
      wantFields: this._wantFields,
      maxScan: this._maxScan,
    };
    const hinted = this._hinted(record);
    view.hint = hinted?.platform;
    if (hinted) {
      const match = this._resolve(hinted.recognise(view, this.catalog));
      if (match) return match;
    }
    for (const recogniser of this.recognisers) {
      if (recogniser === hinted) continue;
      const match = this._resolve(recogniser.recognise(view, this.catalog));
      if (match) return match;
    }
    return undefined;
  }

  private _resolve(found: Recognition | undefined): Match | undefined {
    const entry = found && this.catalog.resolve(found.platform, found.code);
    return found && entry ? { recognition: found, entry } : undefined;
  }

  /** The recogniser of the platform the record's or the resource's `cloud.provider` names. */
  private _hinted(record: EnrichableLogRecord): Recogniser | undefined {
    const named = own(record.attributes, 'cloud.provider') ?? record.resource?.attributes?.['cloud.provider'];
    return typeof named === 'string' ? this._byProvider.get(named) : undefined;
  }

  private _write(record: EnrichableLogRecord, { recognition, entry }: Match): void {
    const keys = this._keys;
    const dropped = record.droppedAttributesCount;
    // The code as printed (a Cloudflare API code such as 1006); the rest is what its entry says.
    this._set(record, keys.code, recognition.code);
    this._set(record, keys.platform, entry.platform);
    this._set(record, keys.category, entry.category);
    this._set(record, keys.platformFault, entry.platform_fault);
    this._set(record, keys.remedyUrl, entry.remedy_url);
    if (recognition.cause !== undefined) this._set(record, keys.cause, recognition.cause);
    if (!entry.listed) this._set(record, keys.listed, false);
    if (recognition.fields) for (const key in recognition.fields) this._set(record, key, recognition.fields[key]);
    if (this._adjustSeverity) raiseSeverity(record, entry.severity);
    if (record.droppedAttributesCount > dropped) this._warnDropped();
  }

  private _set(record: EnrichableLogRecord, key: string | null, value: string | number | boolean | undefined): void {
    if (key === null || value === undefined) return;
    // Own properties only: an attribute named `__proto__` makes others look inherited.
    if (!this._overwrite && own(record.attributes, key) !== undefined) return;
    record.setAttribute(key, value);
  }

  private _warnDropped(): void {
    if (this._warnedDropped) return;
    this._warnedDropped = true;
    diag.warn(
      'otel-platform-errors: the SDK dropped some of its attributes (attribute count limit reached); raise logRecordLimits.attributeCountLimit. Reported once.',
    );
  }
}

/** The recognisers of the selected catalog platforms: the built-in ones, replaced or extended by the user's. */
function selectRecognisers(catalog: Catalog, options: EnricherOptions): Recogniser[] {
  const byPlatform = new Map<string, Recogniser>(builtinRecognisers.map((r) => [r.platform, r]));
  for (const r of options.recognisers ?? []) byPlatform.set(r.platform, r);
  const wanted = options.platforms;
  for (const platform of catalog.platforms()) {
    if (!byPlatform.has(platform) && (wanted === undefined || wanted.includes(platform))) {
      diag.warn(
        `otel-platform-errors: the catalog has platform "${platform}" but no recogniser finds its codes; pass one in the \`recognisers\` option`,
      );
    }
  }
  for (const platform of wanted ?? []) {
    if (!byPlatform.has(platform))
      diag.warn(`otel-platform-errors: no recogniser for platform "${platform}"; it is ignored`);
  }
  return [...byPlatform.values()].filter(
    (r) => catalog.platform(r.platform) !== undefined && (wanted === undefined || wanted.includes(r.platform)),
  );
}

function raiseSeverity(record: EnrichableLogRecord, severity: Severity): void {
  const [number, text] = severityOfLevel(severity) as readonly [number, string];
  if (record.severityNumber === undefined || record.severityNumber < number) {
    record.setSeverityNumber(number);
    record.setSeverityText(text);
  }
}
