import type { Catalog } from '../catalog/Catalog.ts';
import type { CatalogEntry } from '../catalog/types.ts';
import { field, fieldPath, isPlainObject, messageOf, own } from './fields.ts';
import type { AttributeMap, Recogniser, Recognition, RecordView } from './types.ts';

/*
 * Cloudflare reports failures as data more than as log lines with codes:
 *  - API v4 error envelopes: {"success": false, "errors": [{"code": 9109, "message": "Invalid access token"}]}
 *    — as JSON, escaped inside another string, as a Python dict, after an HTTP status — and the
 *    way tools print them: `Invalid access token [code: 9109]` (wrangler), `Error: 9109: …`,
 *    `HTTP status 400: Invalid request headers (6003)` (cloudflare-go), `E1004: DNS Validation Error`;
 *  - Load Balancing health: events {pool, origins: [{healthy: false, failure_reason}]}, one
 *    `"failure_reason": "…",` per line when pretty-printed, notifications (`Failure reason: …`),
 *    alert titles (`DOWN | Origin - a | Pool - b | TCP connection failed`);
 *  - Logpush http_requests records with a Cloudflare-generated 52x/530, and Cloudflare's error pages.
 * A code is the number Cloudflare printed (`9109`); a failure reason, which has none, is its slug.
 * Other vendors use envelope-like JSON, 1xxx numbers are Cloudflare's block pages and WebSocket
 * close codes, and 52x numbers appear in ordinary text: a number counts only in these forms, and
 * outside an unmistakable envelope only beside a message the catalog knows for it.
 */

const PLATFORM = 'cloudflare';
/** The statuses Cloudflare's edge generates itself (the `edge` family's code pattern). */
const EDGE = '5[23][0-9]';
/** JSON texts longer than this are not parsed: events, notifications and records are small. */
const MAX_JSON = 64 * 1024;
/** Bounds on how much of a structured body is walked. */
const MAX_ITEMS = 100;

// --- API codes in text (run on a copy with JSON string escapes removed)
const SUCCESS_FALSE = /success\W{0,8}(?:false|False)\b/;
/** The code of an envelope's first error object. */
const ENVELOPE_CODE = /errors\W{0,8}\[\W{0,8}\{[^{}]{0,400}?\bcode\W{1,8}([0-9]{1,9})/;
/**
 * `"code":6003,"message":"…"` (an errors array without its envelope), `code: 10000, message: "…"`
 * (SDK dumps), `code: 1003, reason: …` (cloudflared), `code: 6003, error: …` (Ansible).
 */
const CODE_THEN_MESSAGE = /\bcode\W{1,8}([0-9]{4,9})\W{1,8}(?:message|reason|error)\W{1,8}([^"'\n;]{3,300})/;
/** `Code 10000: …`, `Error 10014: …`, `Error: 9109: …`, `code 10000: …`, `E1004: …`, `error 6003 Invalid …`. */
const LABEL_CODE_MESSAGE = /(?:\b(?:[Cc]ode|[Ee]rror):? |\bE)([0-9]{4,9})(?:: | (?=[A-Z]))(.{3,300})/;
/** wrangler: `<message> [code: 10000]`. */
const WRANGLER_CODE = /\[code: ([0-9]{4,9})\]/;
/** `<message> (6003)`, `<message> (Code: 1004)`. */
const PAREN_CODE = /\((?:[Cc]ode:? )?([0-9]{4,9})\)/;
/** cloudflare-go's own framing of an API error: `HTTP status 400: <message> (<code>)`. */
const CLOUDFLARE_GO = /\bHTTP status [0-9]{3}: /;

// --- failure reasons in text
const FAILURE_REASON_KEY = /failure_reason\W{1,8}([^"'\\,;}\n]{3,120})/;
/**
 * A quoted `reason` value as JavaScript and JSON dumps of notifications print it —
 * `reason: 'HTTP timeout occurred'`, `"reason": "…"` — not a logfmt `reason="…"` of other tools.
 */
const REASON_KEY = /(?<![\w.-])reason["']?: ?["'`]([^"'`\\\n]{3,120})["'`]/;
const FAILURE_REASON_TEXT = /[Ff]ailure reason: ?([^"'\n]{3,120})/;
/** Load-balancing alert titles: `DOWN | Origin - <name> | Pool - <name> | <reason>`. */
const ALERT_TITLE = /\| Origin - [^|]+\| Pool - [^|]+\| ([^|`"']{3,120})/;
/** An exactly quoted reason in a status line about a pool: `Critical ("TLS untrusted certificate error")`. */
const QUOTED = /["'`(]([A-Z][A-Za-z ]{5,60})["'`)]/g;
const LB_CONTEXT = /\b[Pp]ool\b|[Uu]nhealthy/;

// --- Cloudflare-generated 5xx in text
const EDGE_STATUS_FIELD = new RegExp(String.raw`EdgeResponseStatus\W{1,4}(${EDGE})\b`);
const ORIGIN_ANSWERED = /OriginResponseStatus\W{1,4}[1-9]/;
const ERROR_PAGE = new RegExp(String.raw`\bError (?:code )?(${EDGE})\b`);
const ERROR_PAGE_CONTEXT = /Ray ID|code-label|cf-error|[Cc]loudflare/;
const TITLE_PAGE = new RegExp(String.raw`<title>[^<]*\b(${EDGE}): ([^<]{4,80})</title>`);
const HTTP_STATUS = new RegExp(String.raw`\bHTTP (?:status|code) (${EDGE})\b`);
const CF_RAY_STATUS = new RegExp(String.raw`(?:^|\s)status=(${EDGE})\b`);

/** A Health Check or Load Balancing notification: `{data: {status|new_health: "Unhealthy", reason}}`. */
const DATA_REASON = fieldPath('data.reason');
const DATA_HEALTH = [fieldPath('data.status'), fieldPath('data.new_health'), fieldPath('data.new_health_status')];

/**
 * A failure reason. In structured events case does not matter; in text it must be written as
 * Cloudflare writes it (`TCP connection failed`), because lower-case `tcp connection failed` is
 * what any in-house probe might print under a field of the same common name.
 */
function byReason(reason: unknown, catalog: Catalog, asWritten = false): Recognition | undefined {
  if (typeof reason !== 'string') return undefined;
  const entry = catalog.getByMessage(PLATFORM, reason, { exact: true });
  if (!entry || !isReason(entry)) return undefined;
  const text = reason.trim();
  if (asWritten && text !== entry.title && !(entry.messages ?? []).includes(text)) return undefined;
  return { platform: PLATFORM, code: entry.code };
}

/** Failure reasons and configuration states are reported as text; API errors and 5xx have numbers. */
function isReason(entry: CatalogEntry): boolean {
  return entry.family === 'health_check' || entry.family === 'configuration' || entry.family === 'api';
}

function edge(status: string, catalog: Catalog): Recognition | undefined {
  const entry = catalog.get(PLATFORM, status);
  return entry?.family === 'edge' ? { platform: PLATFORM, code: entry.code } : undefined;
}

/**
 * How much says a number is a Cloudflare API error code: an unmistakable envelope (any code of
 * the API's shape, listed or not), a tool's Cloudflare-only framing (a listed code), or the
 * message the catalog knows for that code beside it (a listed code).
 */
type Evidence = 'envelope' | 'framed' | 'message';

function apiCode(
  code: string,
  evidence: Evidence,
  text: string | undefined,
  catalog: Catalog,
): Recognition | undefined {
  const entry = catalog.resolve(PLATFORM, code);
  if (!entry || entry.family === 'edge' || !/^[0-9]+$/.test(code)) return undefined;
  if (evidence === 'envelope') return { platform: PLATFORM, code };
  if (!entry.listed) return undefined;
  if (evidence === 'framed' || (text !== undefined && catalog.mentions(entry, text)))
    return { platform: PLATFORM, code };
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// Structured bodies and attributes
// ------------------------------------------------------------------------------------------------

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
    if (typeof code === 'number' && Number.isInteger(code)) {
      const found = apiCode(String(code), 'envelope', undefined, catalog);
      if (found) return found;
    }
    // An envelope without a code: the message may still be a Load Balancing one.
    const found = byReason(own(error, 'message'), catalog);
    if (found) return found;
  }
  return undefined;
}

/**
 * An events item or list, an envelope, a Logpush record or a notification, as a structured body
 * or as the attributes a logger wrote; `maxScan` is the scan limit of a body's message field, or
 * undefined for attributes, whose strings are values rather than log lines.
 */
function fromObject(
  obj: AttributeMap,
  catalog: Catalog,
  nested: boolean,
  maxScan: number | undefined,
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
  if (DATA_HEALTH.some((path) => field(obj, path) === 'Unhealthy')) return byReason(field(obj, DATA_REASON), catalog);
  if (maxScan === undefined) return undefined;
  const message = messageOf(obj, maxScan);
  return message === undefined ? undefined : fromText(message, catalog);
}

// ------------------------------------------------------------------------------------------------
// Text
// ------------------------------------------------------------------------------------------------

function fromJsonIn(s: string, catalog: Catalog): Recognition | undefined {
  const start = s.indexOf('{');
  const end = s.lastIndexOf('}');
  if (start === -1 || end <= start || end - start > MAX_JSON) return undefined;
  const parsed = parseJson(s.slice(start, end + 1));
  return isPlainObject(parsed) ? fromObject(parsed, catalog, false, MAX_JSON) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The envelope in a line, however it is quoted; `s` has had its JSON string escapes removed. */
function fromEnvelopeText(s: string, catalog: Catalog): Recognition | undefined {
  if (!SUCCESS_FALSE.test(s)) return undefined;
  const m = ENVELOPE_CODE.exec(s);
  return m ? apiCode(m[1] as string, 'envelope', undefined, catalog) : undefined;
}

function fromApiText(s: string, catalog: Catalog): Recognition | undefined {
  const wrangler = WRANGLER_CODE.exec(s);
  if (wrangler) return apiCode(wrangler[1] as string, 'framed', undefined, catalog);
  const paren = PAREN_CODE.exec(s);
  if (paren) {
    const found = apiCode(paren[1] as string, CLOUDFLARE_GO.test(s) ? 'framed' : 'message', s, catalog);
    if (found) return found;
  }
  for (const form of [CODE_THEN_MESSAGE, LABEL_CODE_MESSAGE]) {
    const m = form.exec(s);
    if (m) {
      const found = apiCode(m[1] as string, 'message', m[2], catalog);
      if (found) return found;
    }
  }
  return undefined;
}

function fromReasonText(s: string, catalog: Catalog): Recognition | undefined {
  for (const form of [FAILURE_REASON_KEY, REASON_KEY, FAILURE_REASON_TEXT, ALERT_TITLE]) {
    const value = form.exec(s)?.[1];
    if (value !== undefined) {
      const found = byReason(value.replace(/[\s",]+$/, ''), catalog, true);
      if (found) return found;
    }
  }
  if (!LB_CONTEXT.test(s)) return undefined;
  QUOTED.lastIndex = 0;
  for (let m = QUOTED.exec(s), tries = 0; m !== null && tries < 8; m = QUOTED.exec(s), tries++) {
    const found = byReason(m[1], catalog, true);
    if (found) return found;
  }
  return undefined;
}

function fromEdgeText(s: string, catalog: Catalog): Recognition | undefined {
  const field = EDGE_STATUS_FIELD.exec(s);
  if (field && !ORIGIN_ANSWERED.test(s)) return edge(field[1] as string, catalog);
  const page = ERROR_PAGE.exec(s);
  if (page && ERROR_PAGE_CONTEXT.test(s)) return edge(page[1] as string, catalog);
  const title = TITLE_PAGE.exec(s);
  if (title) {
    const entry = catalog.get(PLATFORM, title[1] as string);
    if (entry?.family === 'edge' && catalog.hasMessage(entry, title[2] as string))
      return { platform: PLATFORM, code: entry.code };
  }
  const http = HTTP_STATUS.exec(s);
  if (http) return edge(http[1] as string, catalog);
  if (s.indexOf('cf-ray') !== -1) {
    const status = CF_RAY_STATUS.exec(s)?.[1];
    if (status) return edge(status, catalog);
  }
  return undefined;
}

/** JSON string escapes removed (`\"` → `"`, `\n` → space), so quoted envelopes read like plain ones. */
function unescaped(s: string): string {
  return s.indexOf('\\') === -1 ? s : s.replace(/\\+n/g, ' ').replace(/\\+(["'/])/g, '$1');
}

function fromText(raw: string, catalog: Catalog): Recognition | undefined {
  if (raw.indexOf('{') !== -1) {
    const found = fromJsonIn(raw, catalog);
    if (found) return found;
  }
  const s = unescaped(raw);
  return (
    (s.indexOf('success') !== -1 ? fromEnvelopeText(s, catalog) : undefined) ??
    fromApiText(s, catalog) ??
    fromReasonText(s, catalog) ??
    fromEdgeText(s, catalog)
  );
}

export const cloudflare: Recogniser = {
  platform: PLATFORM,
  providerNames: ['cloudflare'],
  // Each form's trigger is its fixed part with what must stand beside it, started where the form
  // is distinctive (`uccess`, not `success`: see Prefilter); `\\W` spans the quotes, colons and
  // backslashes of JSON, escaped JSON and Python dicts alike.
  triggers: () => ({
    patterns: [
      // API codes: in parentheses, as wrangler's `E1004`, beside "code" or "error", in an envelope.
      String.raw`\((?:[Cc]ode:? )?[0-9]{4,9}\)`,
      'E[0-9]{4,9}(?:: | [A-Z])',
      String.raw`Code\W{1,8}[0-9]{4}`,
      String.raw`code\W{1,8}[0-9]{4}`,
      'rror:? [0-9]{4}',
      String.raw`uccess\W*[Ff]alse`,
      // Load Balancing: failure reasons, pools, health states.
      'ailure[_ ]reason',
      String.raw`reason\\*["']?: ?\\*["'\`]`,
      String.raw`[Pp]ool\b`,
      '[Uu]nhealthy',
      // Cloudflare-generated 5xx: Logpush fields, error pages, tools' HTTP statuses, cf-ray lines.
      String.raw`EdgeResponseStatus\W{1,8}${EDGE}`,
      `Error (?:code )?${EDGE}`,
      '<title>',
      `HTTP (?:status|code) ${EDGE}`,
      'cf-ray',
    ],
    fields: [
      { path: 'origins' },
      { path: 'errors' },
      { path: 'result' },
      { path: 'EdgeResponseStatus' },
      { path: 'failure_reason' },
      ...DATA_HEALTH.map((path) => ({ path: path.dotted, matches: 'Unhealthy' })),
    ],
  }),
  recognise(view: RecordView, catalog: Catalog) {
    const fromAttributes = fromObject(view.attributes, catalog, false, undefined);
    if (fromAttributes) return fromAttributes;
    if (view.text !== undefined) return fromText(view.text, catalog);
    if (view.object !== undefined) return fromObject(view.object, catalog, false, view.maxScan);
    return undefined;
  },
};
