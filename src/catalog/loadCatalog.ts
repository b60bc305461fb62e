import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Catalog } from './Catalog.ts';
import { catalogPath } from './paths.ts';
import type { CatalogEntryData, CatalogFile, CatalogSource, Family } from './types.ts';
import { CatalogValidationError, validateCatalogFile, validateEntry } from './validate.ts';

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

/** The built-in catalog files, read and validated once per process. */
export function builtinCatalogFiles(): CatalogFile[] {
  if (builtinFiles) return builtinFiles;
  const names = readdirSync(catalogPath(''))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  const problems: string[] = [];
  const files = names.map((name) => {
    const origin = `catalog/${name}`;
    const data = parseYaml(readFileSync(catalogPath(name), 'utf8')) as unknown;
    problems.push(
      ...validateCatalogFile(data, origin),
      ...duplicateCodes(data, origin),
      ...checkReferences(data as CatalogFile, origin),
    );
    return data as CatalogFile;
  });
  if (problems.length > 0) throw new CatalogValidationError(problems);
  builtinFiles = files;
  return files;
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
    const shapeProblems = validateCatalogFile(data, origin, 'partial');
    problems.push(...shapeProblems, ...duplicateCodes(data, origin));
    if (shapeProblems.length > 0) return;
    const user = data as CatalogSource & { platform: string };
    const base = merged.get(user.platform);
    const result = base ? mergeInto(base, user as Partial<CatalogFile>, origin, problems) : user;
    if (!base) problems.push(...validateCatalogFile(result, origin));
    problems.push(...checkReferences(result as CatalogFile, origin));
    merged.set(user.platform, result as CatalogFile);
  });
  if (problems.length > 0) throw new CatalogValidationError(problems);
  return new Catalog([...merged.values()]);
}

function readSource(source: CatalogSource, n: number, problems: string[]): { data: unknown; origin: string } {
  if (typeof source !== 'string') return { data: source, origin: `catalog object #${n + 1}` };
  try {
    return { data: parseYaml(readFileSync(source, 'utf8')) as unknown, origin: source };
  } catch (error) {
    problems.push(`${source}: cannot be read as YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
    return { data: undefined, origin: source };
  }
}

/** Overlays a user file on a platform's catalog: file fields replace, families and entries merge by id/code. */
function mergeInto(base: CatalogFile, user: Partial<CatalogFile>, origin: string, problems: string[]): CatalogFile {
  const families = new Map<string, Family>(base.families.map((f) => [f.id, f]));
  for (const family of user.families ?? [])
    families.set(family.id, { ...families.get(family.id), ...family } as Family);
  const entries = new Map<string, CatalogEntryData>(base.entries.map((e) => [e.code, e]));
  const seen = new Set<string>();
  (user.entries ?? []).forEach((entry, index) => {
    if (seen.has(entry.code))
      problems.push(`${origin}: entry #${index + 1} (code "${entry.code}"): duplicate code in this file`);
    seen.add(entry.code);
    const merged = { ...entries.get(entry.code), ...entry } as CatalogEntryData;
    problems.push(...validateEntry(merged, origin, index));
    entries.set(entry.code, merged);
  });
  return { ...base, ...user, families: [...families.values()], entries: [...entries.values()] };
}

function duplicateCodes(data: unknown, origin: string): string[] {
  const entries = (data as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) return [];
  const seen = new Set<unknown>();
  return entries.flatMap((entry: { code?: unknown }, index) => {
    const duplicate = seen.has(entry?.code);
    seen.add(entry?.code);
    return duplicate
      ? [`${origin}: entry #${index + 1} (code "${String(entry.code)}"): duplicate code in this file`]
      : [];
  });
}

/** Checks what the schema cannot: known families, compilable patterns. */
function checkReferences(file: CatalogFile, origin: string): string[] {
  const problems: string[] = [];
  const familyIds = new Set((file.families ?? []).map((f) => f.id));
  (file.families ?? []).forEach((family, index) => {
    try {
      new RegExp(family.code_pattern);
    } catch {
      problems.push(`${origin}: family #${index + 1}: field "code_pattern": is not a valid regular expression`);
    }
  });
  const codes = new Set<string>();
  (file.entries ?? []).forEach((entry, index) => {
    const where = `${origin}: entry #${index + 1} (code "${entry.code}")`;
    if (codes.has(entry.code)) problems.push(`${where}: duplicate code`);
    codes.add(entry.code);
    if (!familyIds.has(entry.family))
      problems.push(`${where}: field "family": "${entry.family}" is not one of the file's families`);
  });
  return problems;
}
