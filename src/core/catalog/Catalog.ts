import type { CatalogEntry, CatalogFile, Family } from './types.ts';

/** Fallback entries are cached per code; a user pattern could admit many codes, so the cache is capped. */
const MAX_FALLBACKS = 1024;

/** Placeholders matched per message (see indexText). */
const MAX_GAPS = 2;

/** What a code can look like at all; longer or stranger strings never reach a family pattern. */
const CODE_SHAPE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Messages shorter than this never match as a prefix: too likely to occur by chance. */
const MIN_PREFIX = 12;

interface MessagePattern {
  regex: RegExp;
  entry: CatalogEntry;
}

/** One platform's entries with the indexes recognisers need. */
class PlatformIndex {
  readonly byCode = new Map<string, CatalogEntry>();
  readonly byApiCode = new Map<number, CatalogEntry>();
  /** Lower-cased title or message → entries (a title such as "Platform error" can be shared). */
  readonly byText = new Map<string, CatalogEntry[]>();
  readonly patterns: MessagePattern[] = [];
  readonly families: Array<{ family: Family; regex: RegExp }>;
  readonly fallbacks = new Map<string, CatalogEntry>();
  readonly file: Omit<CatalogFile, 'entries'>;

  constructor(file: Omit<CatalogFile, 'entries'>, entries: CatalogEntry[]) {
    this.file = file;
    this.families = file.families.map((family) => ({ family, regex: new RegExp(family.code_pattern) }));
    for (const entry of entries) {
      this.byCode.set(entry.code, entry);
      for (const api of entry.api_error_codes ?? []) this.byApiCode.set(api, entry);
      for (const text of [entry.title, ...(entry.messages ?? [])]) this.indexText(text, entry);
    }
  }

  private indexText(text: string, entry: CatalogEntry): void {
    const lower = text.toLowerCase();
    if (!lower.includes('{')) {
      const entries = this.byText.get(lower);
      if (!entries) this.byText.set(lower, [entry]);
      else if (!entries.includes(entry)) entries.push(entry);
      if (lower.length < MIN_PREFIX) return;
    }
    // Messages match as prefixes, so only the first MAX_GAPS placeholders need to become gaps: each
    // gap multiplies the ways one text can be tried, and a user may write any number of them.
    const literal = lower.split(/\{[^}]*\}/).slice(0, MAX_GAPS + 1);
    if ((literal[0] ?? '').length < MIN_PREFIX) return;
    const source = literal.map(escapeRegExp).join('.{0,200}?');
    this.patterns.push({ regex: new RegExp(`^${source}(?![a-z0-9])`), entry });
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The error-code catalog: built-in platform files plus user catalogs, indexed for the recognisers.
 * Build one with `loadCatalog()`; instances are immutable.
 */
export class Catalog {
  private readonly _platforms = new Map<string, PlatformIndex>();

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
   * The listed entry for a code, or — when the code is well-formed for one of the platform's
   * families but not listed — a fallback entry (`listed: false`): the family's fallback category,
   * the platform's error page as remedy link, and no platform fault.
   */
  resolve(platform: string, code: string): CatalogEntry | undefined {
    const index = this._platforms.get(platform);
    if (!index) return undefined;
    return index.byCode.get(code) ?? index.fallbacks.get(code) ?? this._fallback(index, code);
  }

  /** The entry a numeric API error code (Cloudflare's `errors[].code`) stands for. */
  getByApiCode(platform: string, apiCode: number): CatalogEntry | undefined {
    return this._platforms.get(platform)?.byApiCode.get(apiCode);
  }

  /**
   * The entry whose title or known message a text is (case-insensitive), or starts with; message
   * placeholders such as `{n}` match any text.
   */
  getByMessage(platform: string, text: string): CatalogEntry | undefined {
    const index = this._platforms.get(platform);
    if (!index) return undefined;
    const lower = text.trim().toLowerCase();
    const exact = index.byText.get(lower);
    if (exact) return exact[0];
    for (const { regex, entry } of index.patterns) if (regex.test(lower)) return entry;
    return undefined;
  }

  /** Whether a text is (or starts with) the title or one of the known messages of this entry. */
  hasMessage(entry: CatalogEntry, text: string): boolean {
    const index = this._platforms.get(entry.platform);
    if (!index) return false;
    const lower = text.trim().toLowerCase();
    if (index.byText.get(lower)?.includes(entry)) return true;
    return index.patterns.some((p) => p.entry === entry && p.regex.test(lower));
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
        index.byText.get(wanted.toLowerCase())?.[0] ??
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
      remedy_url: file.error_page,
      source_url: file.error_page,
      listed: false,
    };
    if (index.fallbacks.size < MAX_FALLBACKS) index.fallbacks.set(code, entry);
    return entry;
  }
}
