import type { HrTime, SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { EnrichableLogRecord } from '../../core/record.ts';

/** What OTLP's InstrumentationScope carries; the exporters group records by this object. */
export interface Scope {
  name: string;
  version?: string;
  schemaUrl?: string;
  attributes?: Record<string, unknown>;
  droppedAttributesCount?: number;
}

/** The SDK's default attribute count limit, which the gateway's records keep as well. */
const ATTRIBUTE_COUNT_LIMIT = 128;

/**
 * A log record the gateway received: the record model the recognition core enriches (as it does
 * the SDK's records) and the shape the OTel OTLP exporters serialise (a ReadableLogRecord).
 * Records of one resource or scope share one object, so the exporters keep them grouped.
 */
export class GatewayLogRecord implements EnrichableLogRecord {
  hrTime: HrTime;
  hrTimeObserved: HrTime;
  severityNumber: number | undefined;
  severityText: string | undefined;
  body: unknown;
  eventName: string | undefined;
  spanContext: SpanContext | undefined;
  droppedAttributesCount: number;
  readonly attributes: Record<string, unknown>;
  readonly resource: Resource;
  readonly instrumentationScope: Scope;

  constructor(
    resource: Resource,
    scope: Scope,
    fields: {
      body: unknown;
      time: HrTime;
      observed?: HrTime;
      attributes?: Record<string, unknown>;
      severityNumber?: number;
      severityText?: string;
      eventName?: string;
      spanContext?: SpanContext;
      droppedAttributesCount?: number;
    },
  ) {
    this.resource = resource;
    this.instrumentationScope = scope;
    this.body = fields.body;
    this.hrTime = fields.time;
    this.hrTimeObserved = fields.observed ?? fields.time;
    this.attributes = fields.attributes ?? {};
    this.severityNumber = fields.severityNumber;
    this.severityText = fields.severityText;
    this.eventName = fields.eventName;
    this.spanContext = fields.spanContext;
    this.droppedAttributesCount = fields.droppedAttributesCount ?? 0;
  }

  setAttribute(key: string, value: string | number | boolean): this {
    if (!Object.hasOwn(this.attributes, key) && Object.keys(this.attributes).length >= ATTRIBUTE_COUNT_LIMIT) {
      this.droppedAttributesCount++;
      return this;
    }
    this.attributes[key] = value;
    return this;
  }

  setSeverityNumber(severityNumber: number): this {
    this.severityNumber = severityNumber;
    return this;
  }

  setSeverityText(severityText: string): this {
    this.severityText = severityText;
    return this;
  }
}

/** An hrtime ([seconds, nanoseconds]) from epoch milliseconds. */
export function hrTimeFromMillis(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/** An hrtime from an RFC 3339 timestamp with up to nanosecond precision; undefined when unparseable. */
export function hrTimeFromRfc3339(text: string): HrTime | undefined {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  const seconds = Math.floor(ms / 1000);
  // Date.parse keeps milliseconds only; the fraction of the text carries up to nanoseconds.
  const fraction = /\.([0-9]{1,9})/.exec(text)?.[1];
  const nanos = fraction === undefined ? (ms - seconds * 1000) * 1e6 : Number(fraction.padEnd(9, '0'));
  return [seconds, nanos];
}

export function nowHrTime(): HrTime {
  return hrTimeFromMillis(Date.now());
}
