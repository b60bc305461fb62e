import type { Catalog } from '../catalog/Catalog.ts';
import { field, fieldPath, isPlainObject, messageOf, own } from './fields.ts';
import type { Recogniser, Recognition, RecordView } from './types.ts';

/*
 * Cloudflare reports load-balancing failures as data, not as log lines with codes:
 *  - List Health Check Events items: {pool, origins: [{healthy: false, failure_reason: "TCP connection failed"}]}
 *  - Health Check notifications: {data: {status: "Unhealthy", reason: "HTTP timeout occurred"}}
 *  - API error envelopes: {"success": false, "errors": [{"code": 1002, "message": "…"}]}
 *  - Logpush http_requests records: {EdgeResponseStatus: 522, OriginResponseStatus: 0}
 * Each arrives as a structured body, as record attributes, or as text inside a log line (a
 * poller's output, a Terraform error, an alert title, an HTTP client's log of an error page).
 * "failure_reason" is a common field name, so a reason in text counts only next to Cloudflare's
 * own vocabulary (pool, origin, healthy=false) or when the resource names Cloudflare.
 */

const PLATFORM = 'cloudflare';
/** JSON texts longer than this are not parsed: events and envelopes are small. */
const MAX_JSON = 64 * 1024;
/** Bounds on how much of a structured body is walked. */
const MAX_ITEMS = 100;
const REASON_FIELD = /failure_reason"?\s*[=:]\s*(?:"([^"\n]{1,120})"|([^,;}\n]{1,120}))/;
const HEALTHY_TRUE = /(?<![a-z_])healthy"?\s*[=:]\s*"?true\b/;
const LB_CONTEXT = /\b(?:pool|origin)\b|(?<![a-z_])healthy"?\s*[=:]\s*"?false\b/i;
/** Load-balancing alert titles: `DOWN | Origin - <name> | Pool - <name> | <reason>`. */
const ALERT_TITLE = /\| Origin - [^|]+\| Pool - [^|]+\| ([^|]{3,120})$/;
/** Terraform / client errors that end with the API code: `…: validation failed (1002)`. */
const API_CODE_TAIL = /\(([0-9]{4,6})\)\s*$/;
/** Only this much of a line's end is searched for an API code. */
const TAIL = 400;
/** Cloudflare's own error pages and responses name the edge status and carry a Ray ID. */
const ERROR_PAGE_CODE = /(?:Error code |cf-error-code">|\| )(5[23][0-9])\b/;
const CF_RAY_STATUS = /(?:^|\s)status=(5[23][0-9])\b/;
/** A Health Check notification: `{data: {status: "Unhealthy", reason}}`. */
const DATA_STATUS = fieldPath('data.status');
const DATA_REASON = fieldPath('data.reason');

function byReason(reason: unknown, catalog: Catalog): Recognition | undefined {
  if (typeof reason !== 'string') return undefined;
  const entry = catalog.getByMessage(PLATFORM, reason);
  return entry && entry.family !== 'edge' ? { platform: PLATFORM, code: entry.code } : undefined;
}

function edge(status: string, catalog: Catalog): Recognition | undefined {
  const entry = catalog.get(PLATFORM, status);
  return entry?.family === 'edge' ? { platform: PLATFORM, code: entry.code } : undefined;
}

function fromOrigins(origins: unknown[], catalog: Catalog): Recognition | undefined {
  for (const origin of origins.slice(0, MAX_ITEMS)) {
    if (isPlainObject(origin) && own(origin, 'healthy') === false) {
      const found = byReason(own(origin, 'failure_reason'), catalog);
      if (found) return found;
    }
  }
  return undefined;
}

function fromErrors(errors: unknown[], catalog: Catalog): Recognition | undefined {
  for (const error of errors.slice(0, MAX_ITEMS)) {
    if (!isPlainObject(error)) continue;
    const code = own(error, 'code');
    const message = own(error, 'message');
    const entry =
      (typeof code === 'number' ? catalog.getByApiCode(PLATFORM, code) : undefined) ??
      (typeof message === 'string' ? catalog.getByMessage(PLATFORM, message) : undefined);
    if (entry && entry.family !== 'edge') return { platform: PLATFORM, code: entry.code };
  }
  return undefined;
}

function fromObject(
  obj: Readonly<Record<string, unknown>>,
  catalog: Catalog,
  nested: boolean,
  maxScan: number,
): Recognition | undefined {
  const origins = own(obj, 'origins');
  if (Array.isArray(origins)) return fromOrigins(origins, catalog);
  const errors = own(obj, 'errors');
  if (own(obj, 'success') === false && Array.isArray(errors)) return fromErrors(errors, catalog);
  const result = own(obj, 'result');
  if (!nested && Array.isArray(result)) {
    for (const item of result.slice(0, MAX_ITEMS)) {
      const found = isPlainObject(item) ? fromObject(item, catalog, true, maxScan) : undefined;
      if (found) return found;
    }
    return undefined;
  }
  const status = own(obj, 'EdgeResponseStatus');
  if (typeof status === 'number') {
    // The origin never answered (0): the 52x/530 is Cloudflare's report about the origin.
    const origin = own(obj, 'OriginResponseStatus');
    return origin === 0 || origin === undefined ? edge(String(status), catalog) : undefined;
  }
  if (own(obj, 'healthy') === false) return byReason(own(obj, 'failure_reason'), catalog);
  if (field(obj, DATA_STATUS) === 'Unhealthy') return byReason(field(obj, DATA_REASON), catalog);
  const message = messageOf(obj, maxScan);
  return message === undefined ? undefined : fromText(message, catalog, undefined);
}

function fromJsonIn(s: string, catalog: Catalog): Recognition | undefined {
  const start = s.indexOf('{');
  const end = s.lastIndexOf('}');
  if (start === -1 || end <= start || end - start > MAX_JSON) return undefined;
  const json = s.slice(start, end + 1);
  // Also JSON quoted inside a string, as older Terraform providers print API responses.
  const parsed =
    parseJson(json) ?? (json.includes('\\"') ? parseJson(json.replace(/\\n/g, '\n').replace(/\\"/g, '"')) : undefined);
  return isPlainObject(parsed) ? fromObject(parsed, catalog, false, MAX_JSON) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fromApiSuffix(s: string, catalog: Catalog): Recognition | undefined {
  const tail = s.length > TAIL ? s.slice(-TAIL) : s;
  const m = API_CODE_TAIL.exec(tail);
  const entry = m ? catalog.getByApiCode(PLATFORM, Number(m[1])) : undefined;
  if (!m || !entry) return undefined;
  const message = tail.slice(tail.lastIndexOf(': ', m.index) + 2, m.index);
  const confirmed = catalog.hasMessage(entry, message) || /load.?balanc/i.test(tail);
  return confirmed ? { platform: PLATFORM, code: entry.code } : undefined;
}

/** `s.trimEnd().endsWith(')')`, without trimming (a copy) unless the line ends in something trimmable. */
function endsWithClosingParen(s: string): boolean {
  const last = s.charCodeAt(s.length - 1);
  if (last === 41) return true;
  const printableAscii = last > 32 && last < 127;
  return !printableAscii && s.trimEnd().endsWith(')');
}

function fromText(s: string, catalog: Catalog, hint: string | undefined): Recognition | undefined {
  // A rare character of a word ("_" here, "=" for cf-ray below) is found much faster than the word
  // on long lines, and rules most lines out before the word search.
  const reasonAt = s.indexOf('_') === -1 ? -1 : s.indexOf('failure_reason');
  if (reasonAt !== -1) {
    const found = fromJsonIn(s, catalog);
    if (found) return found;
    const m = REASON_FIELD.exec(s.slice(reasonAt));
    if (!m || HEALTHY_TRUE.test(s) || !(hint === PLATFORM || LB_CONTEXT.test(s))) return undefined;
    return byReason((m[1] ?? m[2] ?? '').trim(), catalog);
  }
  // Envelopes, Logpush records and notifications are JSON: without a brace there is nothing to
  // parse, and one search for "{" spares ordinary lines the three word searches.
  if (
    s.indexOf('{') !== -1 &&
    (s.indexOf('success') !== -1 || s.indexOf('EdgeResponseStatus') !== -1 || s.indexOf('Unhealthy') !== -1)
  ) {
    const found = fromJsonIn(s, catalog);
    if (found) return found;
  }
  if (s.indexOf('| Pool - ') !== -1) return byReason(ALERT_TITLE.exec(s)?.[1]?.trim(), catalog);
  if (endsWithClosingParen(s)) {
    const found = fromApiSuffix(s, catalog);
    if (found) return found;
  }
  if (s.indexOf('Ray ID') !== -1) {
    const status = ERROR_PAGE_CODE.exec(s)?.[1];
    if (status) return edge(status, catalog);
  }
  if (s.indexOf('=') !== -1 && s.indexOf('cf-ray') !== -1) {
    const status = CF_RAY_STATUS.exec(s)?.[1];
    if (status) return edge(status, catalog);
  }
  return hint === PLATFORM ? byReason(s, catalog) : undefined;
}

export const cloudflare: Recogniser = {
  platform: PLATFORM,
  providerNames: ['cloudflare'],
  recognise(view: RecordView, catalog: Catalog) {
    if (own(view.attributes, 'healthy') === false) {
      const found = byReason(own(view.attributes, 'failure_reason'), catalog);
      if (found) return found;
    }
    if (view.text !== undefined) return fromText(view.text, catalog, view.hint);
    if (view.object !== undefined) return fromObject(view.object, catalog, false, view.maxScan);
    return undefined;
  },
};
