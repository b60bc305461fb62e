import type { Catalog } from '../catalog/Catalog.ts';
import { codeShapes } from './codeShapes.ts';
import { field, fieldPath, isPlainObject, messageOf } from './fields.ts';
import type { AttributeMap, Recogniser, Recognition, RecordView } from './types.ts';

/*
 * Fly's proxy prefixes its messages with a bracketed code:
 *   2026-05-11T14:59:02Z proxy[e2862692b79d68] sin [error][PM05] failed to connect to machine: …
 *   [PR04] could not find a good candidate within 21 attempts at load balancing     (dashboard)
 *   19:07:33 [PM05] failed to connect to machine: gave up after 15 attempts (in 8.6s)
 * and the NATS stream / fly-log-shipper deliver the same message inside JSON with event.provider,
 * fly.app.name and log.level. Older lines (before codes, 2023) and key=value renderings
 * (`error.message="instance refused connection. …"`) carry only the message.
 */

const PLATFORM = 'fly';
const LEVELS = new Set(['error', 'warn', 'warning', 'info', 'debug', 'fatal']);
/** A bracketed code-like token; the catalog decides whether it is a Fly code. */
const BRACKETED = /\[([A-Z][A-Z0-9]{1,5})\](?= |$)/g;
/** What may stand right before a bracketed code: the line start, a space, a quote, a bracket, `:`, `|`, `>`. */
const LEFT_OF_CODE = new Set([32, 9, 34, 39, 96, 93, 58, 124, 62, 40]);
const CAUSE = /last error: \[(P[A-Z][0-9]{2})\]/;
/** `proxy[<instance>] <region> [<level>] <message>` as `fly logs` prints it. */
const PROXY_LINE = /(?:^|\s)proxy\[[0-9a-f]{6,16}\] [a-z]{3} \[([a-z]+)\] ?(.*)$/;
/** A log viewer's rendering of the same: `proxy ERROR <message>`, `proxy lax [error] <message>`. */
const PROXY_LEVEL = /(?:^|\s)proxy(?: [a-z]{3})? \[?(?:error|warn|ERROR|WARN)\]? ?(.+)$/;
/** The key=value rendering of the dashboard and CLI: `error.message="<message>"`. */
const ERROR_MESSAGE_FIELD = /(?:^|[\s`])error\.message="([^"]*(?:"[^"]*")?[^"]*)"/;
/** Fields of Fly's JSON log shape (NATS / fly-log-shipper). */
const EVENT_PROVIDER = fieldPath('event.provider');
const FLY_FIELD = fieldPath('fly');
const FLY_APP_NAME = fieldPath('fly.app.name');

/** Whether a `[level]` tag (optionally followed by one space) ends right before position `at`. */
function levelTagBefore(s: string, at: number): boolean {
  const end = s.charCodeAt(at - 1) === 32 ? at - 1 : at;
  if (s.charCodeAt(end - 1) !== 93) return false;
  const open = s.lastIndexOf('[', end - 1);
  return open !== -1 && end - open <= 9 && LEVELS.has(s.slice(open + 1, end - 1));
}

/** How much the record's surroundings say it comes from Fly: nothing, Fly, or Fly's proxy itself. */
type Context = 0 | 1 | 2;
const NONE: Context = 0;
const FLY: Context = 1;
const PROXY: Context = 2;

/** Fly's JSON log shape (NATS / fly-log-shipper), nested or flattened, or the resource hint. */
function contextOf(fields: AttributeMap, hint: string | undefined): Context {
  const provider = field(fields, EVENT_PROVIDER);
  if (provider === 'proxy') return PROXY;
  const fly =
    provider !== undefined && (isPlainObject(field(fields, FLY_FIELD)) || field(fields, FLY_APP_NAME) !== undefined);
  return fly || hint === PLATFORM ? FLY : NONE;
}

function withCause(code: string, text: string): Recognition {
  const cause = CAUSE.exec(text)?.[1];
  return cause ? { platform: PLATFORM, code, cause } : { platform: PLATFORM, code };
}

/**
 * A bracketed code. It counts where Fly's own formats put it (after a `[level]` tag or a message
 * field), in a record Fly's surroundings frame, or — anywhere else on the line, after a clock
 * time or a viewer's prefix — when the text after it reads as Fly's proxy: a message the catalog
 * knows for that code or for any Fly code. Test ids, ACPI devices and tickets in brackets fail that.
 */
function fromCode(s: string, catalog: Catalog, context: () => Context): Recognition | undefined {
  BRACKETED.lastIndex = 0;
  for (let m = BRACKETED.exec(s), tries = 0; m !== null && tries < 4; m = BRACKETED.exec(s), tries++) {
    const at = m.index;
    if (at > 0 && !LEFT_OF_CODE.has(s.charCodeAt(at - 1))) continue;
    // `… last error: [PM05] …` is the cause of an outer code, which a message may still name.
    if (s.endsWith('last error: ', at)) continue;
    const code = m[1] as string;
    const entry = catalog.resolve(PLATFORM, code);
    if (!entry) continue;
    const rest = s.slice(at + code.length + 3);
    const framed = levelTagBefore(s, at) || s.endsWith('message="', at) || context() !== NONE;
    const reads =
      (entry.listed && catalog.hasMessage(entry, rest)) ||
      catalog.getByMessage(PLATFORM, rest, { kinds: ['message', 'draft'] }) !== undefined;
    if (framed || reads) return withCause(code, rest);
  }
  return undefined;
}

/** Lines without a code: only the proxy's own framing (or Fly's proxy context) makes the message trustworthy. */
function fromMessage(s: string, catalog: Catalog, context: () => Context): Recognition | undefined {
  const message =
    ERROR_MESSAGE_FIELD.exec(s)?.[1] ??
    PROXY_LINE.exec(s)?.[2] ??
    PROXY_LEVEL.exec(s)?.[1] ??
    (context() === PROXY ? s : undefined);
  // Only what real logs print: a title ("Connection refused") is ordinary English, not proof.
  const entry = message === undefined ? undefined : catalog.getByMessage(PLATFORM, message, { kinds: ['message'] });
  return entry ? withCause(entry.code, s) : undefined;
}

/** `fields`: the record's attributes, or the structured body the text came from. Read only once a candidate is found. */
function fromText(
  s: string,
  catalog: Catalog,
  fields: AttributeMap,
  hint: string | undefined,
): Recognition | undefined {
  let known: Context | undefined;
  const context = () => {
    known ??= contextOf(fields, hint);
    return known;
  };
  return (s.indexOf('[') !== -1 ? fromCode(s, catalog, context) : undefined) ?? fromMessage(s, catalog, context);
}

export const fly: Recogniser = {
  platform: PLATFORM,
  providerNames: ['fly', 'fly_io', 'flyio', 'fly.io'],
  triggers: (catalog) => ({
    patterns: [
      String.raw`\[(?:${codeShapes(catalog, PLATFORM).join('|')})\]`,
      String.raw`proxy[ \[]`,
      String.raw`\.message="`,
    ],
    fields: [{ path: 'event.provider', matches: 'proxy' }],
  }),
  recognise(view: RecordView, catalog: Catalog) {
    if (view.text !== undefined) return fromText(view.text, catalog, view.attributes, view.hint);
    if (view.object === undefined) return undefined;
    const message = messageOf(view.object, view.maxScan);
    return message === undefined ? undefined : fromText(message, catalog, view.object, view.hint);
  },
  ottl: {
    shapes: [
      {
        example: 'proxy[e2862692b79d68] sin [error][PC01] instance refused connection …',
        pattern: String.raw`(?:^|\[(?:error|warn|warning|info|debug|fatal)\] ?|message=")\[(?P<code>{codes})\](?:\s|$)`,
      },
    ],
    cause: String.raw`last error: \[(?P<cause>P[A-Z][0-9]{2})\]`,
  },
};
