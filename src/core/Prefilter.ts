import type { Catalog } from './catalog/Catalog.ts';
import { field, fieldPath, MESSAGE_KEYS, scannedPart } from './recognisers/fields.ts';
import type { AttributeMap, FieldTrigger, Recogniser } from './recognisers/types.ts';

interface CompiledField {
  path: ReturnType<typeof fieldPath>;
  matches: RegExp | undefined;
}

interface KeyRole {
  fields: CompiledField[];
  message: boolean;
}

/**
 * The one cheap test in front of all recognisers, built from what they declare (`triggers`), so
 * a recogniser and its trigger cannot drift apart. A text passes when it matches one of the
 * recognisers' patterns; an object (a structured body or the attributes) passes when it carries
 * a trigger field, or when a message field's text passes.
 *
 * Rejecting is the common case: one regular-expression scan and a few own-property probes.
 * What a scan costs depends on the patterns: V8 tries each alternative at every position, and an
 * alternative that starts with a frequent character (`success`, `ode\W…`) fails late and often;
 * so recognisers start their patterns where the form is distinctive (`uccess\W*[Ff]alse`).
 */
export class Prefilter {
  private readonly _pattern: RegExp | undefined;
  /**
   * What an object's key means to the filter: trigger fields carried under it (dotted and first
   * key), and whether it is a message field; one pass over an object's keys reads them all.
   */
  private readonly _keys: ReadonlyMap<string, KeyRole>;

  constructor(recognisers: readonly Recogniser[], catalog: Catalog) {
    const patterns = new Set<string>();
    const keys = new Map<string, KeyRole>();
    for (const key of MESSAGE_KEYS) keys.set(key, { fields: [], message: true });
    for (const recogniser of recognisers) {
      const triggers = recogniser.triggers(catalog);
      for (const p of triggers.patterns ?? []) patterns.add(p);
      for (const f of triggers.fields ?? []) addField(keys, f);
    }
    this._pattern = combinePatterns([...patterns]);
    this._keys = keys;
  }

  /** Whether a text (already cut to the scan limit) may hold a code. */
  text(s: string): boolean {
    return this._pattern?.test(s) === true;
  }

  /** Whether a structured body may hold a code: a trigger field, or a message field whose text may. */
  object(obj: AttributeMap, maxScan: number): boolean {
    return this._scan(obj, maxScan);
  }

  /** Whether an object (the attributes, or a body) carries one of the trigger fields. */
  fields(obj: AttributeMap): boolean {
    return this._scan(obj, undefined);
  }

  /** One pass over the keys (cheaper than probing every trigger key, even on empty objects). */
  private _scan(obj: AttributeMap, maxScan: number | undefined): boolean {
    for (const key in obj) {
      const role = this._keys.get(key);
      if (role === undefined) continue;
      for (const { path, matches } of role.fields) {
        const value = field(obj, path);
        if (value !== undefined && (matches === undefined || (typeof value === 'string' && matches.test(value)))) {
          return true;
        }
      }
      // Every message field is tried, not only the first one a recogniser reads: still necessary.
      if (role.message && maxScan !== undefined) {
        const value = obj[key];
        if (typeof value === 'string' && this.text(scannedPart(value, maxScan))) return true;
      }
    }
    return false;
  }
}

function addField(keys: Map<string, KeyRole>, trigger: FieldTrigger): void {
  const compiled: CompiledField = {
    path: fieldPath(trigger.path),
    matches: trigger.matches === undefined ? undefined : new RegExp(`^(?:${trigger.matches})$`),
  };
  // Flattened (`"event.provider"`) and nested (`event: {provider}`) objects start with different keys.
  const firstKey = trigger.path.split('.')[0] as string;
  for (const key of new Set([trigger.path, firstKey])) {
    const role = keys.get(key) ?? { fields: [], message: false };
    role.fields.push(compiled);
    keys.set(key, role);
  }
}

// ------------------------------------------------------------------------------------------------
// Combining patterns. V8 tries the alternatives of an expression one after another at every
// position, so each alternative costs on every byte. Code shapes (`H[0-9]{2}`, `R[0-9]{2,3}`,
// `L[0-9]{2}`) are simple sequences of character sets that differ only in their first set; those
// with the same rest are merged into one alternative (`[HLR][0-9][0-9]`). A text that matches one
// of them matches the merged one, so the merge keeps the test a necessary condition.
// ------------------------------------------------------------------------------------------------

/** One pattern as character sets per position, or undefined when it is not a simple sequence. */
function toSequence(pattern: string): Array<Set<string>> | undefined {
  const sequence: Array<Set<string>> = [];
  let i = 0;
  while (i < pattern.length) {
    let set: Set<string> | undefined;
    const c = pattern[i] as string;
    if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1 || pattern[i + 1] === '^') return undefined;
      set = classSet(pattern.slice(i + 1, end));
      i = end + 1;
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'd') set = classSet('0-9');
      else if (next !== undefined && /[^\w]/.test(next)) set = new Set([next]);
      else return undefined;
      i += 2;
    } else if (/[A-Za-z0-9 _:=-]/.test(c)) {
      set = new Set([c]);
      i += 1;
    } else {
      return undefined;
    }
    if (set === undefined) return undefined;
    let repeat = 1;
    const quantifier = /^\{([0-9]+)(?:,[0-9]*)?\}/.exec(pattern.slice(i));
    if (quantifier) {
      // `{2,3}` keeps its minimum: a prefix of every match, so still necessary.
      repeat = Number(quantifier[1]);
      i += quantifier[0].length;
    } else if (/^[?*+]/.test(pattern.slice(i))) {
      return undefined;
    }
    for (let n = 0; n < repeat; n++) sequence.push(set);
  }
  return sequence.length > 1 ? sequence : undefined;
}

function classSet(body: string): Set<string> | undefined {
  const set = new Set<string>();
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\') return undefined;
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const to = body.charCodeAt(i + 2);
      for (let code = c.charCodeAt(0); code <= to; code++) set.add(String.fromCharCode(code));
      i += 2;
    } else {
      set.add(c);
    }
  }
  return set;
}

function classSource(set: Set<string>): string {
  const chars = [...set].sort();
  if (chars.length === 1) return escapeRegExp(chars[0] as string);
  // Runs of consecutive characters as ranges keep the class short.
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    let j = i;
    while (j + 1 < chars.length && (chars[j + 1] as string).charCodeAt(0) === (chars[j] as string).charCodeAt(0) + 1)
      j++;
    out +=
      j - i >= 2
        ? `${escapeClass(chars[i] as string)}-${escapeClass(chars[j] as string)}`
        : chars
            .slice(i, j + 1)
            .map(escapeClass)
            .join('');
    i = j;
  }
  return `[${out}]`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeClass(c: string): string {
  return /[\]\\^-]/.test(c) ? `\\${c}` : c;
}

/** All patterns as one expression: simple sequences with the same rest merged, the others as they are. */
export function combinePatterns(patterns: readonly string[]): RegExp | undefined {
  const firstSets = new Map<string, Set<string>>();
  const alternatives: string[] = [];
  for (const p of patterns) {
    const sequence = toSequence(p);
    if (!sequence) {
      alternatives.push(p);
      continue;
    }
    const rest = sequence.slice(1).map(classSource).join('');
    const first = firstSets.get(rest) ?? new Set<string>();
    for (const c of sequence[0] as Set<string>) first.add(c);
    firstSets.set(rest, first);
  }
  const merged = [...firstSets].map(([rest, first]) => classSource(first) + rest);
  const all = [...merged, ...alternatives];
  return all.length > 0 ? new RegExp(all.join('|')) : undefined;
}
