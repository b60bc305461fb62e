import type { Catalog } from '../catalog/Catalog.ts';
import { field, fieldPath, isPlainObject, messageOf } from './fields.ts';
import type { AttributeMap, Recogniser, Recognition, RecordView } from './types.ts';

/*
 * Fly's proxy prefixes its messages with a bracketed code:
 *   2026-05-11T14:59:02Z proxy[e2862692b79d68] sin [error][PM05] failed to connect to machine: …
 *   [PR04] could not find a good candidate within 21 attempts at load balancing     (dashboard)
 * and the NATS stream / fly-log-shipper deliver the same message inside JSON with event.provider,
 * fly.app.name and log.level. Older lines (before codes, 2023) carry only the message.
 */

const PLATFORM = 'fly';
const LEVELS = new Set(['error', 'warn', 'warning', 'info', 'debug', 'fatal']);
const CAUSE = /last error: \[(P[A-Z][0-9]{2})\]/;
/** `proxy[<instance>] <region> [<level>] <message>` as `fly logs` prints it. */
const PROXY_LINE = /(?:^|\s)proxy\[[0-9a-f]{6,16}\] [a-z]{3} \[([a-z]+)\] ?(.*)$/;
/** The key=value rendering: `error.message="<message>" <time> proxy[<instance>] <region> [<level>]`. */
const ERROR_MESSAGE_FIELD = /^error\.message="([^"]*)" \S+ proxy\[[0-9a-f]{6,16}\] /;
/** Fields of Fly's JSON log shape (NATS / fly-log-shipper). */
const EVENT_PROVIDER = fieldPath('event.provider');
const FLY_FIELD = fieldPath('fly');
const FLY_APP_NAME = fieldPath('fly.app.name');

const isUpper = (c: number) => c >= 65 && c <= 90;
const isDigit = (c: number) => c >= 48 && c <= 57;

/** Whether a `[level]` tag (optionally followed by one space) ends right before position `at`. */
function levelTagBefore(s: string, at: number): boolean {
  const end = s.charCodeAt(at - 1) === 32 ? at - 1 : at;
  if (s.charCodeAt(end - 1) !== 93) return false;
  const open = s.lastIndexOf('[', end - 1);
  return open !== -1 && end - open <= 9 && LEVELS.has(s.slice(open + 1, end - 1));
}

interface Found {
  code: string;
  /** Where the message after the code starts. */
  rest: number;
  /** Placed where Fly's own formats put it: after a level tag or in a message field. */
  tagged: boolean;
}

/** The first well-shaped `[PX99]` that starts a message: at the start, after a level tag, or after `message="`. */
function findCode(s: string): Found | undefined {
  let i = s.indexOf('[P');
  for (let tries = 0; i !== -1 && tries < 4; tries++) {
    if (
      isUpper(s.charCodeAt(i + 2)) &&
      isDigit(s.charCodeAt(i + 3)) &&
      isDigit(s.charCodeAt(i + 4)) &&
      s.charCodeAt(i + 5) === 93 &&
      (i + 6 === s.length || s.charCodeAt(i + 6) === 32)
    ) {
      const tagged = levelTagBefore(s, i) || s.endsWith('message="', i);
      if (tagged || i === 0) return { code: s.slice(i + 1, i + 5), rest: i + 7, tagged };
    }
    i = s.indexOf('[P', i + 2);
  }
  return undefined;
}

/** How much the record's surroundings say it comes from Fly: nothing, Fly, or Fly's proxy itself. */
type Context = 0 | 1 | 2;
const NONE: Context = 0;
const FLY: Context = 1;
const PROXY: Context = 2;

/**
 * `fields` (the record's attributes, or the structured body the text came from) and `hint` are
 * the surroundings; they are read only once the text holds a candidate, because most lines hold none.
 */
function fromText(
  s: string,
  catalog: Catalog,
  fields: AttributeMap,
  hint: string | undefined,
): Recognition | undefined {
  // Both "[PX99]" and "proxy[" hold a "[", rare in ordinary lines: one quick search spares most lines two.
  const bracket = s.indexOf('[') !== -1;
  const found = bracket && s.indexOf('[P') !== -1 ? findCode(s) : undefined;
  if (found) {
    const { code, rest, tagged } = found;
    const listed = catalog.get(PLATFORM, code);
    const framed = tagged || contextOf(fields, hint) !== NONE;
    // A bare "[PT01] …" at the start of a line is also how test ids and tickets look: without Fly's
    // framing, the message must be one the catalog knows for that code.
    const confirmed = listed
      ? framed || catalog.hasMessage(listed, s.slice(rest))
      : framed && catalog.resolve(PLATFORM, code) !== undefined;
    if (confirmed) {
      const cause = CAUSE.exec(s.slice(rest))?.[1];
      return cause ? { platform: PLATFORM, code, cause } : { platform: PLATFORM, code };
    }
    return undefined;
  }
  // Lines without a code (older logs, key=value renderings): only the proxy's own framing makes
  // the message trustworthy.
  const message =
    bracket && s.indexOf('proxy[') !== -1 ? proxyMessage(s) : contextOf(fields, hint) === PROXY ? s : undefined;
  const entry = message === undefined ? undefined : catalog.getByMessage(PLATFORM, message);
  if (!entry) return undefined;
  const cause = CAUSE.exec(s)?.[1];
  return cause ? { platform: PLATFORM, code: entry.code, cause } : { platform: PLATFORM, code: entry.code };
}

function proxyMessage(s: string): string | undefined {
  return ERROR_MESSAGE_FIELD.exec(s)?.[1] ?? PROXY_LINE.exec(s)?.[2];
}

/** Fly's JSON log shape (NATS / fly-log-shipper), nested or flattened. */
function contextOf(fields: AttributeMap, hint: string | undefined): Context {
  const provider = field(fields, EVENT_PROVIDER);
  if (provider === 'proxy') return PROXY;
  const fly =
    provider !== undefined && (isPlainObject(field(fields, FLY_FIELD)) || field(fields, FLY_APP_NAME) !== undefined);
  return fly || hint === PLATFORM ? FLY : NONE;
}

export const fly: Recogniser = {
  platform: PLATFORM,
  providerNames: ['fly', 'fly_io', 'flyio', 'fly.io'],
  recognise(view: RecordView, catalog: Catalog) {
    if (view.text !== undefined) return fromText(view.text, catalog, view.attributes, view.hint);
    if (view.object === undefined) return undefined;
    const message = messageOf(view.object, view.maxScan);
    return message === undefined ? undefined : fromText(message, catalog, view.object, view.hint);
  },
};
