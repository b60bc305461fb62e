import type { Catalog } from './catalog/Catalog.ts';
import { field, fieldPath, MESSAGE_KEYS } from './recognisers/fields.ts';
import type { AttributeMap, FieldTrigger, Recogniser } from './recognisers/types.ts';

interface CompiledField {
  path: ReturnType<typeof fieldPath>;
  matches: RegExp | undefined;
}

/**
 * The one cheap test in front of all recognisers, built from what they declare (`triggers`), so
 * a recogniser and its trigger cannot drift apart. A text passes when it matches the combined
 * pattern expression or contains one of the words; an object (a structured body or the
 * attributes) passes when one of its keys carries a trigger field, or a message field's text passes.
 * Rejecting is the common case: one regular-expression scan, a few substring searches that V8
 * runs with SIMD, and one pass over the object's keys.
 */
export class Prefilter {
  private readonly _pattern: RegExp | undefined;
  private readonly _words: readonly string[];
  /** Trigger fields by their first key, so one pass over an object's keys finds them. */
  private readonly _fields: ReadonlyMap<string, readonly CompiledField[]>;

  constructor(recognisers: readonly Recogniser[], catalog: Catalog) {
    const patterns = new Set<string>();
    const words = new Set<string>();
    const fields = new Map<string, CompiledField[]>();
    for (const recogniser of recognisers) {
      const triggers = recogniser.triggers(catalog);
      for (const p of triggers.patterns ?? []) patterns.add(p);
      for (const w of triggers.words ?? []) if (w !== '') words.add(w);
      for (const f of triggers.fields ?? []) addField(fields, f);
    }
    this._pattern = combinePatterns([...patterns]);
    this._words = [...words];
    this._fields = fields;
  }

  /** Whether a text (already cut to the scan limit) may hold a code. */
  text(s: string): boolean {
    if (this._pattern?.test(s)) return true;
    for (const word of this._words) if (s.indexOf(word) !== -1) return true;
    return false;
  }

  /** Whether a structured body may hold a code: a trigger field, or a message field whose text may. */
  object(obj: AttributeMap, maxScan: number): boolean {
    if (this.fields(obj)) return true;
    for (const key of MESSAGE_KEYS) {
      const value = Object.hasOwn(obj, key) ? obj[key] : undefined;
      if (typeof value === 'string' && this.text(value.length > maxScan ? value.slice(0, maxScan) : value)) return true;
    }
    return false;
  }

  /** Whether an object (the attributes, or a body) carries one of the trigger fields. */
  fields(obj: AttributeMap): boolean {
    for (const key in obj) {
      const candidates = this._fields.get(key);
      if (candidates === undefined) continue;
      for (const { path, matches } of candidates) {
        const value = field(obj, path);
        if (value !== undefined && (matches === undefined || (typeof value === 'string' && matches.test(value)))) {
          return true;
        }
      }
    }
    return false;
  }
}

function addField(fields: Map<string, CompiledField[]>, trigger: FieldTrigger): void {
  const compiled: CompiledField = {
    path: fieldPath(trigger.path),
    matches: trigger.matches === undefined ? undefined : new RegExp(`^(?:${trigger.matches})$`),
  };
  // Flattened (`"event.provider"`) and nested (`event: {provider}`) objects start with different keys.
  const firstKey = trigger.path.split('.')[0] as string;
  for (const key of new Set([trigger.path, firstKey])) {
    const list = fields.get(key) ?? [];
    list.push(compiled);
    fields.set(key, list);
  }
}

// ------------------------------------------------------------------------------------------------
// Combining patterns. Code shapes (`H[0-9]{2}`, `R[0-9]{2,3}`, `PC[0-9]{2}`, …) are simple
// sequences of character sets; an alternation of many of them defeats V8's fast scan, so they are
// merged position by position into one sequence of classes (`[HLPR][0-9A-Z][0-9]`). Every text a
// shape matches contains a match of the merged sequence, so the merge is still a necessary
// condition; patterns that are not simple sequences stay alternatives of their own.
// ------------------------------------------------------------------------------------------------

/** One pattern as character sets per position, or undefined when it is not a simple sequence. */
function toSequence(pattern: string): Array<Set<string>> | undefined {
  const source = pattern.replace(/^\^/, '').replace(/\$$/, '');
  const sequence: Array<Set<string>> = [];
  let i = 0;
  while (i < source.length) {
    let set: Set<string> | undefined;
    const c = source[i] as string;
    if (c === '[') {
      const end = source.indexOf(']', i + 1);
      if (end === -1 || source[i + 1] === '^') return undefined;
      set = classSet(source.slice(i + 1, end));
      i = end + 1;
    } else if (c === '\\') {
      const next = source[i + 1];
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
    const quantifier = /^\{([0-9]+)(?:,[0-9]*)?\}/.exec(source.slice(i));
    if (quantifier) {
      repeat = Number(quantifier[1]);
      i += quantifier[0].length;
    } else if (/^[?*+]/.test(source.slice(i))) {
      return undefined;
    }
    for (let n = 0; n < repeat; n++) sequence.push(set);
  }
  return sequence.length > 0 ? sequence : undefined;
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

/** All patterns as one expression: the simple sequences merged, the others as alternatives. */
export function combinePatterns(patterns: readonly string[]): RegExp | undefined {
  const sequences: Array<Array<Set<string>>> = [];
  const others: string[] = [];
  for (const p of patterns) {
    const sequence = toSequence(p);
    if (sequence) sequences.push(sequence);
    else others.push(p);
  }
  const alternatives = [...others.map((p) => `(?:${p})`)];
  if (sequences.length > 0) {
    const length = Math.min(...sequences.map((s) => s.length));
    const merged: string[] = [];
    for (let position = 0; position < length; position++) {
      const set = new Set<string>();
      for (const sequence of sequences) for (const c of sequence[position] as Set<string>) set.add(c);
      merged.push(classSource(set));
    }
    alternatives.unshift(merged.join(''));
  }
  return alternatives.length > 0 ? new RegExp(alternatives.join('|')) : undefined;
}
