import type { HrTime } from '@opentelemetry/api';
import { hrTimeFromMillis, hrTimeFromRfc3339 } from '../../pipeline/GatewayLogRecord.ts';

/*
 * One Logpush record (a line of the NDJSON batch), most often of the http_requests dataset:
 *   {"RayID":"7a1f7ad4df2f870a","EdgeStartTimestamp":1506702504433000200,"ClientRequestHost":"shop.example",
 *    "EdgeResponseStatus":522,"OriginResponseStatus":0,"OriginIP":"203.0.113.10",…}
 * The record stays the body (the recogniser reads EdgeResponseStatus/OriginResponseStatus there);
 * request fields are copied under semantic-convention names, Cloudflare's own under cloudflare.*.
 */

/** Fields that carry a record's time, by dataset (http_requests, firewall_events, workers_trace_events, audit logs). */
const TIME_FIELDS = ['EdgeStartTimestamp', 'Datetime', 'EventTimestampMs', 'Timestamp', 'When'] as const;

/** http_requests fields → attribute names. */
const FIELDS: Record<string, string> = {
  ClientRequestMethod: 'http.request.method',
  EdgeResponseStatus: 'http.response.status_code',
  ClientRequestHost: 'server.address',
  ClientRequestScheme: 'url.scheme',
  ClientIP: 'client.address',
  ClientRequestUserAgent: 'user_agent.original',
  RayID: 'cloudflare.ray_id',
  EdgeColoCode: 'cloudflare.colo',
  OriginResponseStatus: 'cloudflare.origin.status_code',
  OriginIP: 'cloudflare.origin.ip',
  OriginResponseDurationMs: 'cloudflare.origin.duration_ms',
};

/**
 * A timestamp in any of Logpush's formats: `unixnano` (the API's default), `unix` seconds,
 * milliseconds (`EventTimestampMs`), or RFC 3339 (the dashboard's default); as numbers or strings.
 */
function logpushTime(value: unknown): HrTime | undefined {
  if (typeof value === 'string') {
    if (/^[0-9]+(?:\.[0-9]+)?$/.test(value)) return logpushTime(Number(value));
    return hrTimeFromRfc3339(value);
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  if (value >= 1e17) {
    // Nanoseconds: beyond 2^53, so the seconds come from the division and the rest is approximate.
    const seconds = Math.floor(value / 1e9);
    return [seconds, Math.max(0, Math.min(999_999_999, Math.round(value - seconds * 1e9)))];
  }
  if (value >= 1e14) return hrTimeFromMillis(value / 1000); // microseconds
  if (value >= 1e11) return hrTimeFromMillis(value); // milliseconds
  return hrTimeFromMillis(value * 1000); // seconds
}

/** The record's time, from the first time field it has. */
export function recordTime(record: Record<string, unknown>): HrTime | undefined {
  for (const field of TIME_FIELDS) {
    if (Object.hasOwn(record, field)) {
      const time = logpushTime(record[field]);
      if (time) return time;
    }
  }
  return undefined;
}

/** Request fields under semantic-convention (and cloudflare.*) names. */
export function requestAttributes(record: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const field in FIELDS) {
    const value = Object.hasOwn(record, field) ? record[field] : undefined;
    if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value))) {
      out[FIELDS[field] as string] = value;
    }
  }
  const uri = record.ClientRequestURI ?? record.ClientRequestPath;
  if (typeof uri === 'string' && uri !== '') {
    const query = uri.indexOf('?');
    out['url.path'] = query === -1 ? uri : uri.slice(0, query);
    if (query !== -1) out['url.query'] = uri.slice(query + 1);
  }
  // "HTTP/1.1", "HTTP/2", "HTTP/3"
  const protocol = /^HTTP\/([0-9](?:\.[0-9])?)$/i.exec(String(record.ClientRequestProtocol ?? ''));
  if (protocol) {
    out['network.protocol.name'] = 'http';
    out['network.protocol.version'] = protocol[1] as string;
  }
  return out;
}

/** Severity from the status Cloudflare answered with, as the Collector's cloudflare receiver maps it. */
export function severityOf(record: Record<string, unknown>): [number, string] | undefined {
  const status = record.EdgeResponseStatus;
  if (typeof status !== 'number') return undefined;
  if (status >= 500) return [17, 'ERROR'];
  if (status >= 400) return [13, 'WARN'];
  return [9, 'INFO'];
}
