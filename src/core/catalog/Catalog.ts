import type { CatalogEntry, CatalogFile, Family } from './types.ts';

/** Fallback entries are cached per code; a user pattern could admit many codes, so the cache is capped. */
const MAX_FALLBACKS = 1024;

/** Explicit `{placeholder}` gaps matched per text (see compileTemplate). */
const MAX_GAPS = 2;

const NUMERIC = /^[0-9]{1,9}$/;

/** What a code can look like at all; longer or stranger strings never reach a family pattern. */
const CODE_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** A text whose fixed parts are shorter than this never matches as a prefix: too likely by chance. */
const MIN_LITERAL = 12;

/**
 * Only this much of a text is compared: every catalog text and every template match is far
 * shorter, and a recogniser may pass the rest of a 16 KiB line.
 */
const MAX_COMPARED = 1024;

/** A text as the indexes hold texts: its compared prefix, trimmed, lower case. */
function normalised(text: string): string {
  return (text.length > MAX_COMPARED ? text.slice(0, MAX_COMPARED) : text).trim().toLowerCase();
}

/** The leading word of a lower-case text (letters only), which indexes the templates. */
const FIRST_WORD = /^[a-z]+/;

/** Where a text of an entry comes from; code-less recognition trusts only what logs really print. */
export type TextKind = 'title' | 'message' | 'draft';

interface TextTemplate {
  regex: RegExp;
  entry: CatalogEntry;
  kind: TextKind;
}

/**
 * The parts of a catalog text that vary in real lines: `{placeholders}`, numbers (counts,
 * durations, addresses, ports) and single-quoted names (`app 'web'`).
 */
const VARIABLE = /(\{[^}]*\}|'[^']*'|[0-9]+(?:\.[0-9]+)*)/;

/**
 * A text as an anchored, case-insensitive prefix pattern: `{placeholder}` matches any short text,
 * a number any number, a quoted name any quoted name. Undefined when too little of it is fixed.
 */
function compileTemplate(lower: string): RegExp | undefined {
  let source = '';
  let literal = 0;
  let gaps = 0;
  for (const [i, part] of lower.split(VARIABLE).entries()) {
    if (i % 2 === 0) {
      source += escapeRegExp(part);
      literal += part.length;
    } else if (part.startsWith('{')) {
      // Texts match as prefixes, so a gap beyond MAX_GAPS only shortens the prefix; and a user may write any number.
      if (++gaps > MAX_GAPS) break;
      source += '.{0,200}?';
    } else if (part.startsWith("'")) {
      source += "'[^'\n]{0,200}'";
    } else {
      source += '[0-9][0-9.]*';
    }
  }
  return literal >= MIN_LITERAL ? new RegExp(`^${source}(?![a-z0-9])`) : undefined;
}

/** One platform's entries with the indexes recognisers need. */
class PlatformIndex {
  readonly byCode = new Map<string, CatalogEntry>();
  readonly byApiCode = new Map<number, CatalogEntry>();
  /** Lower-cased fixed text (a title, message or draft meaning) → where it comes from. */
  readonly byText = new Map<string, Array<{ entry: CatalogEntry; kind: TextKind }>>();
  /** Templates by the first word of their fixed start; the rest (starting with a number, a gap…) in `openTemplates`. */
  readonly templatesByWord = new Map<string, TextTemplate[]>();
  readonly openTemplates: TextTemplate[] = [];
  /** Each entry's own texts, for confirming a code with its message without a scan of all of them. */
  readonly textsOf = new Map<CatalogEntry, { exact: Set<string>; templates: RegExp[] }>();
  readonly families: Array<{ family: Family; regex: RegExp }>;
  readonly fallbacks = new Map<string, CatalogEntry>();
  readonly file: Omit<CatalogFile, 'entries'>;

  constructor(file: Omit<CatalogFile, 'entries'>, entries: CatalogEntry[]) {
    this.file = file;
    this.families = file.families.map((family) => ({ family, regex: new RegExp(family.code_pattern) }));
    for (const entry of entries) {
      this.byCode.set(entry.code, entry);
      for (const api of entry.api_error_codes ?? []) this.byApiCode.set(api, entry);
      this.indexText(entry.title, entry, 'title');
      for (const message of entry.messages ?? []) this.indexText(message, entry, 'message');
      if (entry.draft) this.indexText(entry.draft.meaning, entry, 'draft');
    }
  }

  private indexText(text: string, entry: CatalogEntry, kind: TextKind): void {
    const lower = text.trim().toLowerCase();
    const own = this.textsOf.get(entry) ?? { exact: new Set<string>(), templates: [] };
    this.textsOf.set(entry, own);
    if (!VARIABLE.test(lower)) {
      const known = this.byText.get(lower);
      if (!known) this.byText.set(lower, [{ entry, kind }]);
      else if (!known.some((k) => k.entry === entry && k.kind === kind)) known.push({ entry, kind });
      own.exact.add(lower);
    }
    const regex = compileTemplate(lower);
    if (!regex) return;
    own.templates.push(regex);
    // Indexed by its first word only when that word ends inside the fixed start (`failed to …`),
    // so a text that matches must begin with the same word.
    const fixedStart = lower.split(VARIABLE)[0] as string;
    const word = FIRST_WORD.exec(fixedStart)?.[0];
    const template = { regex, entry, kind };
    if (word !== undefined && word.length < fixedStart.length) {
      const list = this.templatesByWord.get(word) ?? [];
      list.push(template);
      this.templatesByWord.set(word, list);
    } else {
      this.openTemplates.push(template);
    }
  }

  /** Entries whose text of one of `kinds` the text is or starts with; exact texts first. */
  *match(text: string, kinds: readonly TextKind[], exact: boolean): Generator<CatalogEntry> {
    const lower = normalised(text);
    if (text.length <= MAX_COMPARED) {
      for (const k of this.byText.get(lower) ?? []) if (kinds.includes(k.kind)) yield k.entry;
    }
    if (exact) return;
    const word = FIRST_WORD.exec(lower)?.[0];
    const sameWord = word === undefined ? undefined : this.templatesByWord.get(word);
    for (const list of [sameWord ?? [], this.openTemplates]) {
      for (const t of list) if (kinds.includes(t.kind) && t.regex.test(lower)) yield t.entry;
    }
  }

  /** Whether the text is, or starts with, one of the entry's own texts. */
  hasText(entry: CatalogEntry, text: string): boolean {
    const own = this.textsOf.get(entry);
    if (!own) return false;
    const lower = normalised(text);
    if (text.length <= MAX_COMPARED && own.exact.has(lower)) return true;
    for (const regex of own.templates) if (regex.test(lower)) return true;
    return false;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Titles and real messages: what a failure reason or a code-less line can be. */
const TITLES_AND_MESSAGES: readonly TextKind[] = ['title', 'message'];

/**
 * The error-code catalog: built-in platform files plus user catalogs, indexed for the recognisers.
 * Build one with `loadCatalog()`; instances are immutable.
 */
export class Catalog {
  private readonly _platforms = new Map<string, PlatformIndex>();
  private readonly _fixed = new WeakMap<CatalogEntry, readonly string[]>();

  constructor(files: readonly CatalogFile[]) {
    for (const { entries, ...file } of files) {
      const resolved = entries.map((e) => ({ ...e, platform: file.platform, listed: true }));
      this._platforms.set(file.platform, new PlatformIndex(file, resolved));
    }
  }

  /** Platform ids, in load order. */
  platforms(): string[] {
    return [...this._platforms.keys()];
  }

  /** A platform's file-level data (name, error page, families), without its entries. */
  platform(id: string): Omit<CatalogFile, 'entries'> | undefined {
    return this._platforms.get(id)?.file;
  }

  /** Listed entries, of one platform or all. */
  entries(platform?: string): CatalogEntry[] {
    const indexes = platform === undefined ? [...this._platforms.values()] : [this._platforms.get(platform)];
    return indexes.flatMap((index) => (index ? [...index.byCode.values()] : []));
  }

  /** The listed entry for an exact code, or undefined. */
  get(platform: string, code: string): CatalogEntry | undefined {
    return this._platforms.get(platform)?.byCode.get(code);
  }

  /**
   * The listed entry for a code (or for an API code an entry lists), or — when the code is well-formed for one of the platform's
   * families but not listed — a fallback entry (`listed: false`): the family's fallback category,
   * the platform's error page as remedy link, and no platform fault.
   */
  resolve(platform: string, code: string): CatalogEntry | undefined {
    const index = this._platforms.get(platform);
    if (!index) return undefined;
    return (
      index.byCode.get(code) ??
      // A Cloudflare API code that an entry lists in api_error_codes (1006 → exceeded-quota-error).
      (NUMERIC.test(code) ? index.byApiCode.get(Number(code)) : undefined) ??
      index.fallbacks.get(code) ??
      this._fallback(index, code)
    );
  }

  /** The entry a numeric API error code (Cloudflare's `errors[].code`) stands for. */
  getByApiCode(platform: string, apiCode: number): CatalogEntry | undefined {
    return this._platforms.get(platform)?.byApiCode.get(apiCode);
  }

  /**
   * The entry a text names (case-insensitive): an exact title, message or, unless `exact`, a
   * text that starts with one; message placeholders, numbers and quoted names match any. Which
   * kinds of text count is the caller's choice: code-less lines trust only `['message']`.
   */
  getByMessage(
    platform: string,
    text: string,
    options: { kinds?: readonly TextKind[]; exact?: boolean } = {},
  ): CatalogEntry | undefined {
    const index = this._platforms.get(platform);
    if (!index) return undefined;
    for (const entry of index.match(text, options.kinds ?? TITLES_AND_MESSAGES, options.exact ?? false)) return entry;
    return undefined;
  }

  /** Whether a text is (or starts with) the title, a known message or the draft meaning of this entry. */
  hasMessage(entry: CatalogEntry, text: string): boolean {
    return this._platforms.get(entry.platform)?.hasText(entry, text) ?? false;
  }

  /**
   * Whether a text mentions (contains, case-insensitively) a fixed part of one of the entry's
   * titles or messages — for lines that print a code beside its message, in any order.
   */
  mentions(entry: CatalogEntry, text: string): boolean {
    const lower = text.toLowerCase();
    for (const fixed of this._fixedParts(entry)) if (lower.includes(fixed)) return true;
    return false;
  }

  /** The fixed parts (long enough to count) of an entry's title and messages, computed once. */
  private _fixedParts(entry: CatalogEntry): readonly string[] {
    let parts = this._fixed.get(entry);
    if (!parts) {
      parts = [entry.title, ...(entry.messages ?? [])].flatMap((known) =>
        known
          .toLowerCase()
          .split(VARIABLE)
          .filter((_, i) => i % 2 === 0)
          .map((part) => part.trim())
          .filter((part) => part.length >= MIN_LITERAL),
      );
      this._fixed.set(entry, parts);
    }
    return parts;
  }

  /**
   * Entries for a user's query, across platforms: `H12`, `h12`, `heroku:H12`, a Cloudflare slug
   * or API code such as `1002`, or a failure-reason text such as "TCP connection failed".
   */
  lookup(query: string): CatalogEntry[] {
    const colon = query.indexOf(':');
    const scoped = colon > 0 && this._platforms.has(query.slice(0, colon).toLowerCase());
    const platforms = scoped ? [query.slice(0, colon).toLowerCase()] : this.platforms();
    const wanted = (scoped ? query.slice(colon + 1) : query).trim();
    const found: CatalogEntry[] = [];
    for (const platform of platforms) {
      const index = this._platforms.get(platform) as PlatformIndex;
      const entry =
        index.byCode.get(wanted) ??
        index.byCode.get(wanted.toUpperCase()) ??
        index.byCode.get(wanted.toLowerCase()) ??
        (/^[0-9]+$/.test(wanted) ? index.byApiCode.get(Number(wanted)) : undefined) ??
        index.byText.get(wanted.toLowerCase())?.[0]?.entry ??
        this.resolve(platform, wanted.toUpperCase());
      if (entry) found.push(entry);
    }
    return found;
  }

  private _fallback(index: PlatformIndex, code: string): CatalogEntry | undefined {
    if (!CODE_SHAPE.test(code)) return undefined;
    const match = index.families.find(({ regex }) => regex.test(code));
    if (!match) return undefined;
    const { family } = match;
    const { file } = index;
    const entry: CatalogEntry = {
      platform: file.platform,
      code,
      family: family.id,
      title: `Unlisted ${file.name} ${family.name} code`,
      category: family.fallback_category,
      summary: `${code} is a well-formed ${file.name} ${family.name} code that this catalog does not list yet.`,
      remedy: `Look ${code} up on the platform's error page; if it is documented, add it to a user catalog.`,
      platform_fault: false,
      fault_reason: 'Unlisted code: nothing documents it as a platform error.',
      severity: 'error',
      lifecycle: 'current',
      remedy_url: family.remedy_url ?? file.error_page,
      source_url: family.remedy_url ?? file.error_page,
      listed: false,
    };
    if (index.fallbacks.size < MAX_FALLBACKS) index.fallbacks.set(code, entry);
    return entry;
  }
}
