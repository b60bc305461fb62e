import type { HrTime, SpanContext } from '@opentelemetry/api';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { HttpError } from '../../http/HttpError.ts';
import { GatewayLogRecord, nowHrTime, type Scope } from '../../pipeline/GatewayLogRecord.ts';
import { ExportLogsServiceRequest } from './otlpLogsProto.ts';

/** An OTLP request as protobufjs's toObject or OTLP/JSON gives it: camelCase, values loosely typed. */
interface Request {
  resourceLogs?: Array<{
    resource?: { attributes?: KeyValue[] };
    schemaUrl?: string;
    scopeLogs?: Array<{
      scope?: { name?: string; version?: string; attributes?: KeyValue[]; droppedAttributesCount?: number };
      schemaUrl?: string;
      logRecords?: LogRecord[];
    }>;
  }>;
}

interface KeyValue {
  key?: string;
  value?: AnyValue;
}

type AnyValue = Record<string, unknown>;

interface LogRecord {
  timeUnixNano?: unknown;
  observedTimeUnixNano?: unknown;
  severityNumber?: unknown;
  severityText?: string;
  body?: AnyValue;
  attributes?: KeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: unknown;
  spanId?: unknown;
  eventName?: string;
}

/** OTLP/JSON may write a severity as its enum name. */
const SEVERITY_NAMES: Record<string, number> = Object.fromEntries(
  ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, i) =>
    ['', '2', '3', '4'].map((n, j) => [`SEVERITY_NUMBER_${level}${n}`, i * 4 + j + 1]),
  ),
);

/** Both decoders end in the same structure; protobuf's bytes are Uint8Array, JSON's hex (ids) or base64 (values). */
type Encoding = 'protobuf' | 'json';

/** The request body of `POST /v1/logs` in either encoding; 400 when it is not a logs request. */
export function decodeRequest(body: Buffer, encoding: Encoding): Request {
  try {
    if (encoding === 'json') {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      return parsed as Request;
    }
    return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), { longs: String }) as Request;
  } catch (error) {
    throw new HttpError(400, `not an OTLP logs request (${encoding}): ${(error as Error).message}`);
  }
}

/** Nanoseconds since the epoch (a decimal string, a number or a Long-like) as an hrtime; undefined when absent or zero. */
function hrTime(value: unknown): HrTime | undefined {
  if (value === undefined || value === null || value === '' || value === 0 || value === '0') return undefined;
  let nanos: bigint;
  try {
    nanos = BigInt(typeof value === 'number' ? Math.trunc(value) : String(value));
  } catch {
    return undefined;
  }
  if (nanos <= 0n) return undefined;
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

function anyValue(value: AnyValue | undefined, encoding: Encoding, depth = 0): unknown {
  if (value === undefined || value === null || depth > 32) return undefined;
  if (value.stringValue !== undefined) return String(value.stringValue);
  if (value.boolValue !== undefined) return Boolean(value.boolValue);
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) {
    const values = (value.arrayValue as { values?: AnyValue[] }).values ?? [];
    return values.map((v) => anyValue(v, encoding, depth + 1));
  }
  if (value.kvlistValue !== undefined) {
    return keyValues((value.kvlistValue as { values?: KeyValue[] }).values, encoding, depth + 1);
  }
  if (value.bytesValue !== undefined) {
    const bytes = value.bytesValue;
    return bytes instanceof Uint8Array ? bytes : new Uint8Array(Buffer.from(String(bytes), 'base64'));
  }
  return undefined;
}

function keyValues(list: KeyValue[] | undefined, encoding: Encoding, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) {
    if (typeof kv?.key !== 'string') continue;
    const value = anyValue(kv.value, encoding, depth);
    if (value !== undefined) out[kv.key] = value;
  }
  return out;
}

/** Trace and span ids: bytes in protobuf, hex strings in OTLP/JSON. */
function hexId(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const hex = value instanceof Uint8Array ? Buffer.from(value).toString('hex') : String(value).toLowerCase();
  return /^[0-9a-f]+$/.test(hex) && !/^0+$/.test(hex) ? hex : undefined;
}

function spanContextOf(record: LogRecord): SpanContext | undefined {
  const traceId = hexId(record.traceId);
  const spanId = hexId(record.spanId);
  if (traceId === undefined || spanId === undefined) return undefined;
  return { traceId, spanId, traceFlags: Number(record.flags ?? 0) & 0xff };
}

function severityOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 ? value : undefined;
  if (typeof value === 'string') return SEVERITY_NAMES[value] ?? (Number(value) || undefined);
  return undefined;
}

/** A request's records, and how many entries were not log records at all (reported as partial success). */
export interface Decoded {
  records: GatewayLogRecord[];
  rejected: number;
}

/**
 * The records of a request, each keeping its resource (one Resource object per ResourceLogs) and
 * its scope (one per ScopeLogs), so that they leave grouped as they came.
 */
export function recordsOf(request: Request, encoding: Encoding): Decoded {
  const records: GatewayLogRecord[] = [];
  let rejected = 0;
  const observed = nowHrTime();
  for (const resourceLogs of list(request.resourceLogs)) {
    const resource: Resource = resourceFromAttributes(
      keyValues(resourceLogs.resource?.attributes, encoding) as Record<string, string>,
      resourceLogs.schemaUrl ? { schemaUrl: resourceLogs.schemaUrl } : undefined,
    );
    for (const scopeLogs of list(resourceLogs.scopeLogs)) {
      const scope: Scope = {
        name: scopeLogs.scope?.name ?? '',
        version: scopeLogs.scope?.version || undefined,
        schemaUrl: scopeLogs.schemaUrl || undefined,
        attributes: keyValues(scopeLogs.scope?.attributes, encoding),
        droppedAttributesCount: scopeLogs.scope?.droppedAttributesCount,
      };
      for (const record of Array.isArray(scopeLogs.logRecords) ? scopeLogs.logRecords : []) {
        if (record === null || typeof record !== 'object') {
          rejected++;
          continue;
        }
        const time = hrTime(record.timeUnixNano);
        records.push(
          new GatewayLogRecord(resource, scope, {
            body: anyValue(record.body, encoding),
            // An unset time stays unset (zero) on the way out, as the sender meant.
            time: time ?? [0, 0],
            observed: hrTime(record.observedTimeUnixNano) ?? time ?? observed,
            attributes: keyValues(record.attributes, encoding),
            severityNumber: severityOf(record.severityNumber),
            severityText: record.severityText || undefined,
            eventName: record.eventName || undefined,
            spanContext: spanContextOf(record),
            droppedAttributesCount: Number(record.droppedAttributesCount ?? 0) || 0,
          }),
        );
      }
    }
  }
  return { records, rejected };
}

/** The objects of an array field (OTLP/JSON from an unknown sender may hold anything). */
function list<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value.filter((v): v is T => v !== null && typeof v === 'object') : [];
}
