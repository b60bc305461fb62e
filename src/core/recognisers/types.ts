import type { Catalog } from '../catalog/Catalog.ts';

/** Attribute values as records hold them; typed loosely because any AnyValue can arrive. */
export type AttributeMap = Readonly<Record<string, unknown>>;

/** What a recogniser sees of a log record. Strings are already cut to the scan limit. */
export interface RecordView {
  /** The body when it is a string (possibly a prefix of it), else undefined. */
  text: string | undefined;
  /** The body when it is a plain object (a structured log), else undefined. */
  object: AttributeMap | undefined;
  /** The record's attributes: structured loggers (pino, winston) put a logged object's fields here. */
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
  /** The code as the platform printed it (`H12`, `PC01`, `1006`), or a failure reason's id. */
  code: string;
  /** A nested cause code, e.g. PM05 in `[PR03] … last error: [PM05] …`. */
  cause?: string;
  /** Semantic-convention attributes read from the line (only when asked for). */
  fields?: Record<string, string | number>;
}

/**
 * Necessary conditions of a recogniser's forms: a record that meets none of them cannot hold its
 * codes. The processor combines every recogniser's triggers into one pre-filter in front of all
 * of them, so ordinary records are rejected in one cheap pass; a test checks over fixtures, the
 * real-line corpus and generated records that the recogniser never matches what its triggers reject.
 */
export interface Triggers {
  /**
   * Regular-expression sources, one of which every text form contains: a code's shape
   * (`[HRL][0-9]{2}`) or a form's fixed part with what must stand beside it (`success\W*[Ff]alse`).
   * All recognisers' patterns become one expression; the more specific a pattern, the fewer
   * ordinary lines reach the recognisers.
   */
  patterns?: readonly string[];
  /** Fields of a structured body or of the attributes that a structured form needs. */
  fields?: readonly FieldTrigger[];
}

/** A field whose presence (and, with `matches`, whose string value) a structured form needs. */
export interface FieldTrigger {
  /** A top-level key, or a dotted path that objects may nest (`{event: {provider}}`) or flatten (`{"event.provider": …}`). */
  path: string;
  /** A regular-expression source the whole string value must match; without it, any value will do. */
  matches?: string;
}

/**
 * A way the platform writes a code into a text line, in RE2 for the Collector's transform
 * processor (`catalog --format ottl`): an approximation of the recogniser without lookaround,
 * message checks or JSON.
 */
export interface OttlShape {
  /** For the comment above the statement. */
  example: string;
  /** Has the named group `code`; `{codes}` stands for the platform's family patterns from the catalog. */
  pattern: string;
  /** A second pattern the line must match too (a field the recogniser requires). */
  requires?: string;
}

/**
 * One platform's recogniser: a pure function over a record view and the catalog. It must not
 * throw on any input, and every form it accepts must meet one of its triggers.
 */
export interface Recogniser {
  /** The catalog platform whose codes it finds. */
  readonly platform: string;
  /** Values of `cloud.provider` that name this platform. */
  readonly providerNames: readonly string[];
  /** The necessary conditions of its forms; may read the catalog (code patterns, message texts). */
  triggers(catalog: Catalog): Triggers;
  recognise(view: RecordView, catalog: Catalog): Recognition | undefined;
  /** Its text shapes for the OTTL export, and a pattern with the named group `cause` for nested codes. */
  readonly ottl?: { readonly shapes: readonly OttlShape[]; readonly cause?: string };
}
