import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BUILTIN_CATALOG } from './builtin.generated.ts';
import { Catalog } from './Catalog.ts';
import { catalogPath } from './paths.ts';
import type { CatalogEntryData, CatalogFile, CatalogSource, Family } from './types.ts';
import { CatalogValidationError, quoteCode, validateCatalogFile, validateEntry } from './validate.ts';

/** Options of `loadCatalog`. */
export interface LoadCatalogOptions {
  /**
   * User catalogs, applied in order over the built-in one: file paths (YAML or JSON) or objects
   * of the catalog file's shape. An entry whose code exists overrides only the fields it gives.
   * @default []
   */
  sources?: readonly CatalogSource[];
  /**
   * Start from the built-in catalog (catalog/*.yaml).
   * @default true
   */
  builtin?: boolean;
}

let builtinFiles: CatalogFile[] | undefined;

/** The YAML parser is loaded only for user catalogs and checks, not at start-up. */
const require = createRequire(import.meta.url);
function parseYaml(text: string): unknown {
  return (require('yaml') as { parse: (text: string) => unknown }).parse(text);
}

/** Frozen: the built-in files are shared by every catalog of the process, so nobody may change them. */
function deepFreeze<T>(value: T): T {
  if (isObject(value)) for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/**
 * The built-in catalog files. They ship precompiled (src/core/catalog/builtin.generated.ts, made
 * by `npm run generate` from catalog/*.yaml after validating them), so start-up parses no YAML
 * and loads no schema validator; a test checks the module against the YAML files.
 */
export function builtinCatalogFiles(): CatalogFile[] {
  builtinFiles ??= BUILTIN_CATALOG.map(deepFreeze);
  return builtinFiles;
}

/** The built-in YAML files as they are in catalog/, parsed: what the generated module must hold. */
export function readBuiltinYaml(): CatalogFile[] {
  return builtinFileNames().map(readBuiltin);
}

/** Every problem of the built-in files: schema, duplicate codes, family references, patterns. */
export function builtinCatalogProblems(): string[] {
  return builtinFileNames().flatMap((name) => {
    const origin = `catalog/${name}`;
    const file = readBuiltin(name);
    return [...duplicateCodes(file, origin), ...wholeFileProblems(file, origin)];
  });
}

/** What a complete catalog file (built-in, or a user file for a new platform) must pass. */
function wholeFileProblems(file: Partial<CatalogFile>, origin: string): string[] {
  return [
    ...validateCatalogFile(file, origin),
    ...checkPatterns(file.families ?? [], origin),
    ...checkFamilies(file.entries ?? [], file.families ?? [], origin),
  ];
}

function builtinFileNames(): string[] {
  return readdirSync(catalogPath(''))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

function readBuiltin(name: string): CatalogFile {
  return parseYaml(readFileSync(catalogPath(name), 'utf8')) as CatalogFile;
}

/**
 * Loads the catalog: the built-in platform files plus user catalogs that extend or override them.
 * Throws `CatalogValidationError` naming the file, the entry and the field of every problem.
 */
export function loadCatalog(options: LoadCatalogOptions = {}): Catalog {
  const merged = new Map<string, CatalogFile>();
  if (options.builtin ?? true) for (const file of builtinCatalogFiles()) merged.set(file.platform, file);
  const problems: string[] = [];
  (options.sources ?? []).forEach((source, n) => {
    const { data, origin } = readSource(source, n, problems);
    if (data === undefined) return;
    const shape = validateCatalogFile(data, origin, 'partial');
    problems.push(...shape, ...duplicateCodes(data, origin));
    if (shape.length > 0) return;
    const user = data as Partial<CatalogFile> & { platform: string };
    const base = merged.get(user.platform);
    if (base) {
      merged.set(user.platform, mergeInto(base, user, origin, problems));
      return;
    }
    problems.push(...wholeFileProblems(user, origin));
    merged.set(user.platform, user as CatalogFile);
  });
  if (problems.length > 0) throw new CatalogValidationError(problems);
  return new Catalog([...merged.values()]);
}

function readSource(source: CatalogSource, n: number, problems: string[]): { data: unknown; origin: string } {
  // An object, or a stray null/undefined that validation then rejects as "must be object".
  if (typeof source !== 'string') return { data: source ?? null, origin: `catalog object #${n + 1}` };
  try {
    return { data: parseYaml(readFileSync(source, 'utf8')) as unknown, origin: source };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(
      code === 'ENOENT'
        ? `${source}: not found`
        : code === 'EISDIR'
          ? `${source}: is a directory, not a catalog file`
          : `${source}: cannot be read as YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    );
    return { data: undefined, origin: source };
  }
}

/** Overlays a user file on a platform's catalog: file fields replace, families and entries merge by id/code. */
function mergeInto(base: CatalogFile, user: Partial<CatalogFile>, origin: string, problems: string[]): CatalogFile {
  const families = new Map<string, Family>(base.families.map((f) => [f.id, f]));
  for (const family of user.families ?? [])
    families.set(family.id, { ...families.get(family.id), ...family } as Family);
  problems.push(...checkPatterns(user.families ?? [], origin));
  const entries = new Map<string, CatalogEntryData>(base.entries.map((e) => [e.code, e]));
  const mergedEntries = (user.entries ?? []).map((entry, index) => {
    const result = { ...entries.get(entry.code), ...entry } as CatalogEntryData;
    problems.push(...validateEntry(result, origin, index));
    entries.set(entry.code, result);
    return result;
  });
  problems.push(...checkFamilies(mergedEntries, [...families.values()], origin));
  return { ...base, ...user, families: [...families.values()], entries: [...entries.values()] };
}

/** Codes given twice in one file (each problem names the later entry). */
function duplicateCodes(data: unknown, origin: string): string[] {
  const entries = isObject(data) ? data.entries : undefined;
  if (!Array.isArray(entries)) return [];
  const seen = new Set<unknown>();
  return entries.flatMap((entry: unknown, index) => {
    const code = isObject(entry) ? entry.code : undefined;
    if (typeof code !== 'string') return [];
    const duplicate = seen.has(code);
    seen.add(code);
    return duplicate ? [`${origin}: entry #${index + 1} (code ${quoteCode(code)}): duplicate code in this file`] : [];
  });
}

/**
 * Family patterns must compile, and must not nest quantifiers (`^(a+)+$`): codes pulled from log
 * records are tested against them, and a nested quantifier backtracks exponentially.
 */
function checkPatterns(families: readonly Family[], origin: string): string[] {
  return families.flatMap((family, index) => {
    const where = `${origin}: family #${index + 1}: field "code_pattern"`;
    if (NESTED_QUANTIFIER.test(family.code_pattern)) return [`${where}: must not nest quantifiers`];
    try {
      new RegExp(family.code_pattern);
      return [];
    } catch {
      return [`${where}: is not a valid regular expression`];
    }
  });
}

/** A quantified group whose content is quantified too, e.g. `(a+)+` or `([0-9]*){2,}`. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;

/** Every entry's family must be one of the file's families. */
function checkFamilies(entries: readonly CatalogEntryData[], families: readonly Family[], origin: string): string[] {
  const ids = new Set(families.map((f) => f.id));
  return entries.flatMap((entry, index) =>
    typeof entry.family !== 'string' || ids.has(entry.family)
      ? []
      : [
          `${origin}: entry #${index + 1} (code ${quoteCode(entry.code)}): field "family": ${quoteCode(entry.family)} is not one of the file's families`,
        ],
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
