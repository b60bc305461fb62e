import type { Catalog } from '../catalog/Catalog.ts';
import { field, fieldPath, messageOf, own } from './fields.ts';
import type { Recogniser, Recognition, RecordView } from './types.ts';

/*
 * Heroku writes codes in three shapes:
 *  - router logfmt:  at=error code=H12 desc="Request timeout" method=GET path="/" … status=503
 *  - runtime/legacy: Error R14 (Memory quota exceeded) · Error H10 (App crashed) -> GET …
 *  - logging:        Error L10 (output buffer overflow): … · L11 (Tail buffer overflow) -> …
 *                    · Error L12: 222 messages dropped since …
 * whatever framing surrounds them (heroku[router]:, drain frames, Papertrail's heroku/router).
 */

const PLATFORM = 'heroku';
/** The code right after `code=`; quoted or bare, ending at white space or the end. */
const ROUTER_CODE = /"?([HRL][0-9]{2,3})"?(?=\s|$)/y;
const AT_FIELD = /(?:^|\s)at=(?:error|warning|info)(?=\s|$)/;
const DESC_FIELD = /(?:^|\s)desc=/;
/** `Error X99 (text)`, `X99 (text) ->`, `Error L12: 222 messages dropped|lost`. */
const RUNTIME =
  /(?:^|[\s\]>:])(Error )?([HRL][0-9]{2,3})(?: \(([^()\n]{1,80})\)(?=$|\s|:)|: [0-9]+ messages (?:dropped|lost)\b)/;
/** Framing that only Heroku's own log sources carry. */
const HEROKU_SOURCE = /heroku[[/]|\bheroku (?:router|logplex)\b|\bapp\[log-shuttle\]/;
const LOGFMT_PAIR = /(?:^|\s)([a-z_]+)=(?:"([^"]*)"|(\S*))/g;
/** Where shippers put a structured line's source (`heroku` for Heroku's own). */
const SYSLOG_APPNAME = fieldPath('syslog.appname');
const APP_NAME = fieldPath('app_name');
const SOURCE = fieldPath('source');

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

/** Router request fields mapped to semantic-convention attributes (Heroku-specific ones namespaced). */
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
      out['http.request.method'] = value;
      break;
    case 'path':
      out['url.path'] = value;
      break;
    case 'host':
      out['server.address'] = value;
      break;
    case 'fwd':
      out['client.address'] = (value.split(',')[0] as string).trim();
      break;
    case 'status':
      if (/^[0-9]{3}$/.test(value)) out['http.response.status_code'] = Number(value);
      break;
    case 'protocol':
      if (value.startsWith('http')) out['network.protocol.version'] = value.slice(4).replace(/\.0$/, '');
      break;
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
 * structured body the text came from, or Heroku's own framing in the text. Checked only once the
 * text holds a code, because most lines hold none.
 */
function framedAsHeroku(s: string, view: RecordView, body: Readonly<Record<string, unknown>> | undefined): boolean {
  if (view.hint === PLATFORM) return true;
  const source =
    body === undefined ? undefined : (field(body, SYSLOG_APPNAME) ?? field(body, APP_NAME) ?? field(body, SOURCE));
  return source === PLATFORM || HEROKU_SOURCE.test(s);
}

/** `body`: the structured body the text is the message of, if any. */
function fromText(
  s: string,
  view: RecordView,
  catalog: Catalog,
  body: Readonly<Record<string, unknown>> | undefined,
): Recognition | undefined {
  const codeField = s.indexOf('code=');
  if (codeField !== -1) {
    const code = routerCode(s, codeField);
    if (code && AT_FIELD.test(s) && (DESC_FIELD.test(s) || framedAsHeroku(s, view, body))) {
      if (catalog.resolve(PLATFORM, code)) {
        return view.wantFields ? { platform: PLATFORM, code, fields: routerFields(s) } : { platform: PLATFORM, code };
      }
    }
  }
  // Every runtime shape holds "(" or "messages": two quick searches (rare first letters) spare most
  // lines the search for "rror ", whose first letter is everywhere and which is slow on long lines.
  if (s.indexOf('(') === -1 && s.indexOf('messages') === -1) return undefined;
  if (s.indexOf('rror ') === -1 && s.indexOf('L11 (') === -1) return undefined;
  const m = RUNTIME.exec(s);
  if (!m) return undefined;
  const code = m[2] as string;
  const text = m[3];
  const listed = catalog.get(PLATFORM, code);
  // A listed code must carry its own title or a known message (this keeps out "Canon EOS R10 (…)");
  // the "messages dropped" form is Logplex's own wording. Unlisted codes need Heroku framing.
  const confirmed = listed
    ? text === undefined || catalog.hasMessage(listed, text)
    : m[1] !== undefined && framedAsHeroku(s, view, body) && catalog.resolve(PLATFORM, code) !== undefined;
  return confirmed ? { platform: PLATFORM, code } : undefined;
}

function fromObject(
  obj: Readonly<Record<string, unknown>>,
  view: RecordView,
  catalog: Catalog,
): Recognition | undefined {
  const code = own(obj, 'code');
  if (typeof code === 'string' && (typeof own(obj, 'desc') === 'string' || typeof own(obj, 'at') === 'string')) {
    if (catalog.resolve(PLATFORM, code)) return { platform: PLATFORM, code };
  }
  const message = messageOf(obj, view.maxScan);
  return message === undefined ? undefined : fromText(message, view, catalog, obj);
}

export const heroku: Recogniser = {
  platform: PLATFORM,
  providerNames: ['heroku'],
  recognise(view, catalog) {
    const attributeCode = own(view.attributes, 'heroku.error.code');
    if (typeof attributeCode === 'string' && catalog.resolve(PLATFORM, attributeCode)) {
      return { platform: PLATFORM, code: attributeCode };
    }
    if (view.text !== undefined) return fromText(view.text, view, catalog, undefined);
    if (view.object !== undefined) return fromObject(view.object, view, catalog);
    return undefined;
  },
};
