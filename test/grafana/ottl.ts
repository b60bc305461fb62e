/**
 * Reading the generated transform-processor config the way the Collector would: undo the config
 * `$$` escape, read OTTL string literals, check RE2 compatibility, and run the recognise group's
 * statements (only the few statement forms the generator writes) on a log line.
 */

/** What the Collector's config layer leaves of a value: `$$` → `$`. Throws on a bare `$`. */
export function configValue(raw: string): string {
  if (raw.replace(/\$\$/g, '').includes('$')) throw new Error(`unescaped $ in ${raw}`);
  return raw.replace(/\$\$/g, '$');
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;

/** The text of an OTTL string literal (with its quotes). */
export function ottlText(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** Problems that keep a pattern from compiling the same way in Go's RE2 as in JS (empty when none). */
export function re2Problems(pattern: string): string[] {
  const problems: string[] = [];
  if (/\(\?<?[=!]/.test(pattern)) problems.push('lookaround');
  if (/\(\?>/.test(pattern)) problems.push('atomic group');
  if (/\\[1-9]|\\k</.test(pattern)) problems.push('backreference');
  if (/[*+?}][+]/.test(pattern.replace(/\\./g, ''))) problems.push('possessive quantifier');
  if (/\(\?<\w/.test(pattern)) problems.push('named group without P (write (?P<name>…))');
  try {
    new RegExp(jsPattern(pattern));
  } catch (error) {
    problems.push(`does not compile: ${(error as Error).message}`);
  }
  return problems;
}

/** RE2's `(?P<name>` as JS's `(?<name>`; the rest of the syntax we use is shared. */
export const jsPattern = (pattern: string): string => pattern.replace(/\(\?P</g, '(?<');

/** Every regular expression an OTTL text passes to ExtractPatterns or IsMatch. */
export function patternsIn(ottl: string): string[] {
  const call = new RegExp(String.raw`(?:ExtractPatterns|IsMatch)\([^,]+, (${STRING})\)`, 'g');
  return [...ottl.matchAll(call)].map((m) => ottlText(m[1] as string));
}

/** What the simulated statements can read and write. */
export interface RecordState {
  cache: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

const PATH = String.raw`log\.(cache|attributes)\[(${STRING})\]`;
const VALUE = String.raw`nil|true|false|${STRING}|log\.(?:cache|attributes)\[${STRING}\]`;

function mapOf(state: RecordState, which: string): Record<string, unknown> {
  return which === 'cache' ? state.cache : state.attributes;
}

function evaluate(expression: string, state: RecordState): unknown {
  if (expression === 'nil') return undefined;
  if (expression === 'true' || expression === 'false') return expression === 'true';
  const path = new RegExp(`^${PATH}$`).exec(expression);
  if (path) return mapOf(state, path[1] as string)[ottlText(path[2] as string)];
  if (expression.startsWith('"')) return ottlText(expression);
  throw new Error(`value the simulation does not know: ${expression}`);
}

function holds(clause: string, state: RecordState, body: string): boolean {
  const trimmed = clause.trim();
  const match = new RegExp(String.raw`^IsMatch\(log\.body, (${STRING})\)$`).exec(trimmed);
  if (match) return new RegExp(jsPattern(ottlText(match[1] as string))).test(body);
  const compare = new RegExp(`^(${VALUE}) (==|!=) (${VALUE})$`).exec(trimmed);
  if (!compare) throw new Error(`clause the simulation does not know: ${trimmed}`);
  const equal = evaluate(compare[1] as string, state) === evaluate(compare[3] as string, state);
  return equal === (compare[2] === '==');
}

const EXTRACT = new RegExp(String.raw`^merge_maps\(log\.cache, ExtractPatterns\(log\.body, (${STRING})\), "upsert"\)$`);
const INSERT = /^merge_maps\(log\.attributes, \{(.*)\}, "insert"\)$/;
const SET = new RegExp(`^set\\(${PATH}, (${VALUE})\\)$`);

/**
 * Runs the recognise group's statements on one text body, as the transform processor would for a
 * record without attributes, and returns the cache and the attributes they leave.
 */
export function runRecognise(statements: readonly string[], body: string): RecordState {
  const state: RecordState = { cache: {}, attributes: {} };
  for (const statement of statements) {
    const [action = '', condition = ''] = statement.split(' where ');
    if (condition !== '' && !condition.split(' and ').every((clause) => holds(clause, state, body))) continue;
    const extract = EXTRACT.exec(action);
    const insert = INSERT.exec(action);
    const set = SET.exec(action);
    if (extract) {
      const groups = new RegExp(jsPattern(ottlText(extract[1] as string))).exec(body)?.groups ?? {};
      for (const [key, value] of Object.entries(groups)) if (value !== undefined) state.cache[key] = value;
    } else if (insert) {
      for (const entry of (insert[1] as string).matchAll(new RegExp(`(${STRING}): (${VALUE})`, 'g'))) {
        const key = ottlText(entry[1] as string);
        if (!(key in state.attributes)) state.attributes[key] = evaluate(entry[2] as string, state);
      }
    } else if (set) {
      mapOf(state, set[1] as string)[ottlText(set[2] as string)] = evaluate(set[3] as string, state);
    } else {
      throw new Error(`statement the simulation does not know: ${statement}`);
    }
  }
  return state;
}
