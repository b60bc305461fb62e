import type { MeterProvider } from '@opentelemetry/api';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { Catalog } from './core/catalog/Catalog.ts';
import type { CatalogSource } from './core/catalog/types.ts';
import type { Recogniser } from './core/recognisers/types.ts';

/**
 * Attribute keys the processor writes. `null` turns one off. In Loki, dots become underscores:
 * `error.type` is queried as `error_type`.
 */
export interface AttributeKeys {
  /** The code, e.g. `H12`, `PC01`, `tcp-connection-failed`. @default 'error.type' */
  code?: string | null;
  /** `heroku`, `fly` or `cloudflare`. @default 'platform' */
  platform?: string | null;
  /** One value of the category vocabulary (docs/codes.md#categories). @default 'category' */
  category?: string | null;
  /** Boolean: whether the platform's own page calls it a platform error. @default 'platform_fault' */
  platformFault?: string | null;
  /** Deep link to the code's section on the official page. @default 'remedy_url' */
  remedyUrl?: string | null;
  /** A nested cause code, e.g. PM05 in `[PR03] … last error: [PM05]`; only when present. @default 'platform_error.cause' */
  cause?: string | null;
  /** Set to `false` only for well-formed codes the catalog does not list. @default 'platform_error.listed' */
  listed?: string | null;
}

/** What to recognise and what to write: options of the recognition core, shared by the processor and the gateway. */
export interface EnricherOptions {
  /**
   * Platforms to recognise.
   * @default every catalog platform that has a recogniser: ['heroku', 'fly', 'cloudflare']
   */
  platforms?: string[];
  /**
   * User catalogs (file paths or objects) that extend or override the built-in one; see `loadCatalog`.
   * Invalid catalogs make the constructor throw, naming the file, entry and field.
   * @default []
   */
  catalogs?: CatalogSource[];
  /**
   * A catalog built with `loadCatalog()`; takes precedence over `catalogs`.
   * @default the built-in catalog plus `catalogs`
   */
  catalog?: Catalog;
  /**
   * Recognisers of your own, for platforms a user catalog adds (or to replace a built-in one of
   * the same `platform`). A catalog platform without a recogniser is reported through diag.warn.
   * @default []
   */
  recognisers?: Recogniser[];
  /** Attribute keys to write; see `AttributeKeys`. */
  attributes?: AttributeKeys;
  /**
   * Overwrite attributes the record already has. When false, existing attributes are kept.
   * @default false
   */
  overwrite?: boolean;
  /**
   * Also write the request fields of Heroku router lines under semantic-convention names:
   * `http.request.method`, `url.path`, `url.query`, `url.scheme`, `server.address`,
   * `client.address`, `http.response.status_code`, `http.response.body.size`,
   * `network.protocol.name`/`version`, `tls.protocol.name`/`version`, and
   * `heroku.router.connect_ms`, `heroku.router.service_ms`, `heroku.dyno`, `heroku.request_id`.
   * @default false
   */
  extractFields?: boolean;
  /**
   * Raise the record's severity to the catalog entry's (error, warning, info) when the record has
   * none or a lower one. Never lowers it.
   * @default false
   */
  adjustSeverity?: boolean;
  /**
   * Only this many leading characters of a string body (or of a structured body's message) are
   * scanned, so a huge line costs no more than this prefix. Values below 64 count as 64; anything
   * that is not a number falls back to the default.
   * @default 16384
   */
  maxScanLength?: number;
}

/** Options of `PlatformErrorProcessor`. Every option is optional. */
export interface PlatformErrorProcessorOptions extends EnricherOptions {
  /**
   * Processors that receive every record after it has been enriched, in this order. Wiring the
   * exporting processors here makes the order impossible to get wrong.
   * @default []
   */
  processors?: LogRecordProcessor[];
  /**
   * Processors that receive only records whose code is a platform fault, e.g. a processor with
   * an exporter that pages someone.
   * @default []
   */
  platformFaultProcessors?: LogRecordProcessor[];
  /**
   * Processors that receive only records in which a platform code was recognised.
   * @default []
   */
  matchedProcessors?: LogRecordProcessor[];
  /**
   * How long `forceFlush` waits for each downstream processor, unless the caller passes
   * `timeoutMillis` (as LoggerProvider.forceFlush does).
   * @default 30000
   */
  forceFlushTimeoutMillis?: number;
  /**
   * When given, counts matches (`platform_errors.matched`, by platform, code and platform_fault)
   * and internal failures (`platform_errors.failures`).
   * @default undefined — no metrics
   */
  meterProvider?: MeterProvider;
}
