import { DEFAULT_ATTRIBUTE_KEYS as KEYS } from '../../core/attributes.ts';
import type { Catalog } from '../../core/catalog/Catalog.ts';
import { type Style, terminalSafe } from '../style.ts';

export const ENRICH_FORMATS = ['text', 'jsonl'] as const;
export type EnrichFormat = (typeof ENRICH_FORMATS)[number];

/** One output line per input line: `{"body": …, "attributes": {…}}`. */
export function jsonlLine(body: unknown, attributes: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify({ body, attributes })}\n`;
}

/**
 * The input line as it was (control characters made visible, see `terminalSafe`), and for a
 * recognised code an indented note: code, title, category, whose fault it is and where the fix is
 * documented.
 */
export function textLine(
  line: string,
  attributes: Readonly<Record<string, unknown>>,
  catalog: Catalog,
  style: Style,
  onlyMatches: boolean,
): string {
  const code = attributes[KEYS.code];
  const safe = terminalSafe(line);
  if (typeof code !== 'string') return onlyMatches ? '' : `${style.dim(safe)}\n`;
  const platform = String(attributes[KEYS.platform]);
  const entry = catalog.resolve(platform, code);
  const fault =
    attributes[KEYS.platformFault] === true ? style.red(style.bold('PLATFORM FAULT')) : style.green('your side');
  const causeCode = attributes[KEYS.cause];
  const cause = typeof causeCode === 'string' ? ` (cause ${causeCode})` : '';
  const note = [
    `${style.bold(style.yellow(code))}${cause} ${entry?.title ?? ''}`.trimEnd(),
    platform,
    String(attributes[KEYS.category]),
    fault,
    style.cyan(String(attributes[KEYS.remedyUrl])),
  ].join(' · ');
  return `${safe}\n  ${style.yellow('↳')} ${terminalSafe(note)}\n`;
}
