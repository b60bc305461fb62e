import type { Catalog } from '../catalog/Catalog.ts';
import { codeShapes } from './codeShapes.ts';
import { field, fieldPath, messageOf, own } from './fields.ts';
import type { AttributeMap, Recogniser, Recognition, RecordView } from './types.ts';

/*
 * Heroku writes codes in four shapes:
 *  - router logfmt:  at=error code=H12 desc="Request timeout" method=GET path="/" … status=503
 *  - runtime/legacy: Error R14 (Memory quota exceeded) · Error H10 (App crashed) -> GET …
 *  - logging:        Error L10 (output buffer overflow): … · L11 (Tail buffer overflow) -> …
 *                    · Error L12: 222 messages dropped since …
 *  - the CLI's `heroku apps:errors` table:  router  H12  critical  Request Timeout  11
 * whatever framing surrounds them (heroku[router]:, drain frames, Papertrail's heroku/router).
 * The code is always printed, so the pre-filter needs only the catalog's code shapes.
 */

const PLATFORM = 'heroku';
/** A code-like token after `code=`, quoted or bare, ending at white space, a comma or the end. */
const ROUTER_CODE = /"?([A-Za-z][A-Za-z0-9]{1,7})"?(?=[\s,]|$)/y;
/** Values of the router's `at=` and `desc=` fields, tried where the field starts (see valueAt). */
const AT_VALUE = /(?:error|warning|info)(?=\s|$)/y;
const DESC_VALUE = /"([^"]*)"?|(\S+)/y;
/** `Error X99 (text)`, `X99 (text) ->`, `Error L12: 222 messages dropped|lost`. */
const RUNTIME =
  /(?:^|[\s\]>:])(Error )?([A-Z][A-Z0-9]{1,5})(?: \(([^()\n]{1,80})\)(?=$|\s|:)|: [0-9]+ messages (?:dropped|lost)\b)/g;
/** A row of `heroku apps:errors`: source (may be empty), code, level, description, count. */
const APPS_ERRORS_ROW =
  /^\s*(?:[a-z][\w.-]*\s{2,})?([A-Z][A-Z0-9]{1,5})\s{2,}(?:critical|warning|info)\s{2,}\S.*\s[0-9]+\s*$/;
/** Framing that only Heroku's own log sources carry. */
const HEROKU_SOURCE = /heroku[[/]|\bheroku (?:router|logplex)\b|\bapp\[log-shuttle\]/;
const LOGFMT_PAIR = /(?:^|\s)([a-z_]+)=(?:"([^"]*)"|(\S*))/g;
/** Where shippers put a structured line's source (`heroku` for Heroku's own). */
const SYSLOG_APPNAME = fieldPath('syslog.appname');
const APP_NAME = fieldPath('app_name');
const SOURCE = fieldPath('source');

/** Whether the character before `i` separates logfmt fields (the line start or white space). */
function fieldBoundary(s: string, i: number): boolean {
  if (i === 0) return true;
  const c = s.charCodeAt(i - 1);
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(s.charAt(i - 1)));
}

/**
 * The value of the first `key=` field that `value` (a sticky pattern) matches: found with
 * `indexOf` rather than a scan of the whole line by a regular expression.
 */
function valueAt(s: string, key: string, value: RegExp): RegExpExecArray | null {
  for (let i = s.indexOf(key), tries = 0; i !== -1 && tries < 4; i = s.indexOf(key, i + 1), tries++) {
    if (!fieldBoundary(s, i)) continue;
    value.lastIndex = i + key.length;
    const m = value.exec(s);
    if (m) return m;
  }
  return null;
}

/** The code of the first well-formed `code=` field; `first` is where the first `code=` starts. */
function routerCode(s: string, first: number): string | undefined {
  let i = first;
  for (let tries = 0; i !== -1 && tries < 4; tries++) {
    const before = i === 0 ? 32 : s.charCodeAt(i - 1);
    if (before === 32 || before === 9) {
      ROUTER_CODE.lastIndex = i + 5;
      const code = ROUTER_CODE.exec(s)?.[1];
      if (code) return code;
    }
    i = s.indexOf('code=', i + 5);
  }
  return undefined;
}

/** The request methods semantic conventions name; any other is reported as `_OTHER` plus the original. */
const HTTP_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);
const PROTOCOL_VERSION = /^http([0-9])\.([0-9])$/;
const TLS_VERSION = /^(tls|ssl)([0-9])\.([0-9])$/;

/**
 * Router request fields under semantic-convention names (semconv 1.3x: http.*, url.*, server.*,
 * client.*, network.*, tls.*); the router's own timings, dyno and request id, which have none,
 * under `heroku.*`.
 */
export function routerFields(s: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  LOGFMT_PAIR.lastIndex = 0;
  for (let m = LOGFMT_PAIR.exec(s); m !== null; m = LOGFMT_PAIR.exec(s)) {
    const value = m[2] ?? m[3] ?? '';
    if (value === '') continue;
    addField(out, m[1] as string, value);
  }
  return out;
}

function addField(out: Record<string, string | number>, key: string, value: string): void {
  switch (key) {
    case 'method':
      if (HTTP_METHODS.has(value)) out['http.request.method'] = value;
      else {
        out['http.request.method'] = '_OTHER';
        out['http.request.method_original'] = value;
      }
      break;
    case 'path': {
      const query = value.indexOf('?');
      out['url.path'] = query === -1 ? value : value.slice(0, query);
      if (query !== -1 && query < value.length - 1) out['url.query'] = value.slice(query + 1);
      break;
    }
    case 'host':
      out['server.address'] = value;
      break;
    case 'fwd':
      out['client.address'] = (value.split(',')[0] as string).trim();
      break;
    case 'status':
      if (/^[0-9]{3}$/.test(value)) out['http.response.status_code'] = Number(value);
      break;
    case 'bytes':
      if (/^[0-9]+$/.test(value)) out['http.response.body.size'] = Number(value);
      break;
    case 'protocol': {
      // The legacy router writes the URL scheme (http, https); Router 2.0 the HTTP version (http1.1, http2.0).
      if (value === 'http' || value === 'https') out['url.scheme'] = value;
      const version = PROTOCOL_VERSION.exec(value);
      if (version) {
        out['network.protocol.name'] = 'http';
        out['network.protocol.version'] = version[2] === '0' ? (version[1] as string) : `${version[1]}.${version[2]}`;
      }
      break;
    }
    case 'tls_version': {
      const tls = TLS_VERSION.exec(value);
      if (tls) {
        out['tls.protocol.name'] = tls[1] as string;
        out['tls.protocol.version'] = tls[1] === 'ssl' && tls[3] === '0' ? (tls[2] as string) : `${tls[2]}.${tls[3]}`;
      }
      break;
    }
    case 'connect':
    case 'service':
      if (/^[0-9]+ms$/.test(value)) out[`heroku.router.${key}_ms`] = Number(value.slice(0, -2));
      break;
    case 'dyno':
      out['heroku.dyno'] = value;
      break;
    case 'request_id':
      out['heroku.request_id'] = value;
      break;
  }
}

/**
 * Whether the line or its surroundings say Heroku: the resource hint, the source field of the
 * structured body the text came from, or Heroku's own framing in the text.
 */
function framedAsHeroku(s: string, view: RecordView, body: AttributeMap | undefined): boolean {
  if (view.hint === PLATFORM) return true;
  const source =
    body === undefined ? undefined : (field(body, SYSLOG_APPNAME) ?? field(body, APP_NAME) ?? field(body, SOURCE));
  return source === PLATFORM || HEROKU_SOURCE.test(s);
}

function found(code: string, view: RecordView, line: string): Recognition {
  return view.wantFields ? { platform: PLATFORM, code, fields: routerFields(line) } : { platform: PLATFORM, code };
}

/**
 * A router line: a well-formed `code=` confirmed by the router's `at=` field (with `desc=` or
 * Heroku framing), or by a `desc=` that is the code's own title or a message Heroku prints for it
 * (fragments pasted without `at=`: `code=H14 desc="No web processes running"`).
 */
function fromRouter(
  s: string,
  view: RecordView,
  catalog: Catalog,
  body: AttributeMap | undefined,
): Recognition | undefined {
  const codeField = s.indexOf('code=');
  if (codeField === -1) return undefined;
  const code = routerCode(s, codeField);
  const entry = code === undefined ? undefined : catalog.resolve(PLATFORM, code);
  if (code === undefined || entry === undefined) return undefined;
  const desc = valueAt(s, 'desc=', DESC_VALUE);
  if (valueAt(s, 'at=', AT_VALUE) !== null && (desc !== null || framedAsHeroku(s, view, body)))
    return found(code, view, s);
  const text = desc?.[1] ?? desc?.[2];
  return entry.listed && text !== undefined && catalog.hasMessage(entry, text) ? found(code, view, s) : undefined;
}

function fromRuntime(
  s: string,
  view: RecordView,
  catalog: Catalog,
  body: AttributeMap | undefined,
): Recognition | undefined {
  RUNTIME.lastIndex = 0;
  // The first few candidates: a product name such as "ABC (v1)" may come before the code.
  for (let m = RUNTIME.exec(s), tries = 0; m !== null && tries < 4; m = RUNTIME.exec(s), tries++) {
    const code = m[2] as string;
    const text = m[3];
    const listed = catalog.get(PLATFORM, code);
    // A listed code must carry its own title or a known message (this keeps out "Canon EOS R10 (…)");
    // the "messages dropped" form is Logplex's own wording. Unlisted codes need Heroku framing.
    const confirmed = listed
      ? text === undefined || catalog.hasMessage(listed, text)
      : m[1] !== undefined && framedAsHeroku(s, view, body) && catalog.resolve(PLATFORM, code) !== undefined;
    if (confirmed) return { platform: PLATFORM, code };
  }
  return undefined;
}

function fromAppsErrorsRow(s: string, catalog: Catalog): Recognition | undefined {
  const code = APPS_ERRORS_ROW.exec(s)?.[1];
  return code !== undefined && catalog.get(PLATFORM, code) ? { platform: PLATFORM, code } : undefined;
}

/** `body`: the structured body the text is the message of, if any. */
function fromText(
  s: string,
  view: RecordView,
  catalog: Catalog,
  body: AttributeMap | undefined,
): Recognition | undefined {
  return (
    fromRouter(s, view, catalog, body) ??
    // Every runtime shape holds "(" or "messages"; checking for them first spares most lines the regex.
    (s.indexOf('(') !== -1 || s.indexOf('messages') !== -1 ? fromRuntime(s, view, catalog, body) : undefined) ??
    fromAppsErrorsRow(s, catalog)
  );
}

/** A structured record (body or attributes): `code` with `desc` or `at`, as a logfmt line parsed by a shipper or logger. */
function fromFields(obj: AttributeMap, catalog: Catalog): Recognition | undefined {
  const code = own(obj, 'code');
  if (typeof code === 'string' && (typeof own(obj, 'desc') === 'string' || typeof own(obj, 'at') === 'string')) {
    if (catalog.resolve(PLATFORM, code)) return { platform: PLATFORM, code };
  }
  // Sentry Relay's convention for Heroku router errors.
  const attributeCode = own(obj, 'heroku.error.code');
  return typeof attributeCode === 'string' && catalog.resolve(PLATFORM, attributeCode)
    ? { platform: PLATFORM, code: attributeCode }
    : undefined;
}

export const heroku: Recogniser = {
  platform: PLATFORM,
  providerNames: ['heroku'],
  triggers: (catalog) => ({
    patterns: codeShapes(catalog, PLATFORM),
    fields: [{ path: 'code', matches: codeShapes(catalog, PLATFORM).join('|') }, { path: 'heroku.error.code' }],
  }),
  recognise(view, catalog) {
    const fromAttributes = fromFields(view.attributes, catalog);
    if (fromAttributes) return fromAttributes;
    if (view.text !== undefined) return fromText(view.text, view, catalog, undefined);
    if (view.object === undefined) return undefined;
    const fromBody = fromFields(view.object, catalog);
    if (fromBody) return fromBody;
    const message = messageOf(view.object, view.maxScan);
    return message === undefined ? undefined : fromText(message, view, catalog, view.object);
  },
  ottl: {
    shapes: [
      {
        example: 'heroku[router]: at=error code=H12 desc="Request timeout" …',
        pattern: String.raw`(?:^|\s)code="?(?P<code>{codes})\b`,
        requires: String.raw`(?:^|\s)at=(?:error|warning|info)\s`,
      },
      {
        example: 'Error R14 (Memory quota exceeded) · Error L12: 222 messages dropped since …',
        pattern: String.raw`(?:^|[\s\]>:])Error (?P<code>{codes})(?: \(|: [0-9]+ messages (?:dropped|lost)\b)`,
      },
      {
        example: 'L11 (Tail buffer overflow) -> …',
        pattern: String.raw`(?:^|[\s\]>:])(?P<code>L11) \(`,
      },
    ],
  },
};
