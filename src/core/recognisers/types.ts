import type { Catalog } from '../catalog/Catalog.ts';

/** Attribute values as the SDK holds them; typed loosely because any AnyValue can arrive. */
export type AttributeMap = Readonly<Record<string, unknown>>;

/** What a recogniser sees of a log record. Strings are already cut to the scan limit. */
export interface RecordView {
  /** The body when it is a string (possibly a prefix of it), else undefined. */
  text: string | undefined;
  /** The body when it is a plain object (a structured log), else undefined. */
  object: Readonly<Record<string, unknown>> | undefined;
  attributes: AttributeMap;
  /** Platform id named by the resource or attributes (`cloud.provider=heroku`, …), if any. */
  hint: string | undefined;
  /** Whether request fields should be extracted as well. */
  wantFields: boolean;
  /** How many characters of any message text are scanned (`maxScanLength`). */
  maxScan: number;
}

/** A code found in a record. */
export interface Recognition {
  platform: string;
  code: string;
  /** A nested cause code, e.g. PM05 in `[PR03] … last error: [PM05] …`. */
  cause?: string;
  /** Semantic-convention attributes read from the line (only when asked for). */
  fields?: Record<string, string | number>;
}

/**
 * One platform's recogniser: a pure function over a record view and the catalog. It must not
 * throw on any input and must do only cheap work on records that cannot hold its codes.
 */
export interface Recogniser {
  readonly platform: string;
  /** Values of `cloud.provider` (or similar hints) that name this platform. */
  readonly providerNames: readonly string[];
  recognise(view: RecordView, catalog: Catalog): Recognition | undefined;
}
