/**
 * The one record model of recognition and enrichment: the parts of a log record they read and
 * write. The SDK's ReadWriteLogRecord has this shape, and so do the gateway's records, so the
 * processor and the gateway share every line of the logic.
 */
export interface EnrichableLogRecord {
  /** A string, a structured value (any AnyValue), or nothing. */
  readonly body?: unknown;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly resource?: { readonly attributes: Readonly<Record<string, unknown>> };
  readonly severityNumber?: number;
  /** Attributes the record had to drop at its count limit (the SDK's attributeCountLimit). */
  readonly droppedAttributesCount: number;
  setAttribute(key: string, value: string | number | boolean): unknown;
  setSeverityNumber(severityNumber: number): unknown;
  setSeverityText(severityText: string): unknown;
}
