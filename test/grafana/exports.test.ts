import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_ATTRIBUTE_KEYS } from '../../src/core/attributes.ts';
import {
  CSV_COLUMNS,
  catalogCsv,
  TRANSFORM_PROCESSOR_ID,
  transformProcessorYaml,
} from '../../src/core/catalog/exports.ts';
import { loadCatalog } from '../../src/core/catalog/loadCatalog.ts';
import { runCli } from '../helpers/cli.ts';
import { fixtureFiles } from '../helpers/fixtures.ts';
import { Pipeline } from '../helpers/sdk.ts';
import { configValue, ottlText, patternsIn, re2Problems, runRecognise } from './ottl.ts';

const catalog = loadCatalog();
const CSV_FILE = 'docs/exports/platform-errors.csv';
const OTTL_FILE = 'docs/exports/transform-platform-errors.yaml';

/**
 * RFC 4180 as Go's encoding/csv reads it without LazyQuotes (the lookupprocessor's reader): a
 * quote may only open a field, and a quoted field must close before a comma or line end.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\n') throw new Error(`text after a closing quote at ${i}`);
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') i++;
    else {
      rows.push(row);
      row = [];
      i++;
    }
  }
  return rows;
}

/** CSV rows as objects keyed by the header. */
function csvRecords(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => {
    expect(row).toHaveLength(header?.length ?? 0);
    return Object.fromEntries((header ?? []).map((name, i) => [name, row[i] as string]));
  });
}

describe('CSV export (Vector enrichment table, Collector lookupprocessor csv source)', () => {
  const text = readFileSync(CSV_FILE, 'utf8');
  const records = csvRecords(text.replace(/\n$/, ''));

  it('has the header row and one row per listed code, each exactly once', () => {
    expect(parseCsv(text)[0]).toEqual([...CSV_COLUMNS]);
    const keys = records.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(
      catalog
        .entries()
        .map((e) => `${e.platform}:${e.code}`)
        .sort(),
    );
  });

  it("matches the catalog's values", () => {
    for (const record of records) {
      const entry = catalog.get(record.platform as string, record.code as string);
      expect(record, record.key).toEqual({
        key: `${entry?.platform}:${entry?.code}`,
        platform: entry?.platform,
        code: entry?.code,
        category: entry?.category,
        platform_fault: String(entry?.platform_fault),
        remedy_url: entry?.remedy_url,
        title: entry?.title,
        severity: entry?.severity,
        family: entry?.family,
        lifecycle: entry?.lifecycle,
      });
    }
  });

  it('quotes commas, quotes, line breaks and edge spaces so they read back unchanged', () => {
    const title = ' Request "timeout", then\nmore ';
    const tricky = loadCatalog({ sources: [{ platform: 'heroku', entries: [{ code: 'H12', title }] }] });
    const row = csvRecords(catalogCsv(tricky, ['heroku'])).find((r) => r.code === 'H12');
    expect(row?.title).toBe(title);
  });

  it('is what `catalog --format csv` prints', async () => {
    const { code, stdout } = await runCli('catalog', '--format', 'csv');
    expect(code).toBe(0);
    expect(stdout).toBe(text);
  });
});

interface Group {
  conditions: string[];
  statements: string[];
}

/** The groups of a generated config, with the Collector's `$$` escape undone. */
function groupsOf(yaml: string): Group[] {
  const config = parse(yaml) as { processors: Record<string, { error_mode: string; log_statements: Group[] }> };
  return config.processors[TRANSFORM_PROCESSOR_ID]?.log_statements.map((g) => ({
    conditions: g.conditions.map(configValue),
    statements: g.statements.map(configValue),
  })) as Group[];
}

const EDITORS = new Set(['set', 'merge_maps']);
const CONVERTERS = new Set(['ExtractPatterns', 'IsMatch', 'IsString']);

/** Brackets and quotes of one OTTL statement balance (string contents skipped). */
function balanced(ottl: string): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < ottl.length; i++) {
    const c = ottl.charAt(i);
    if (c === '"') {
      for (i++; i < ottl.length && ottl[i] !== '"'; i++) if (ottl[i] === '\\') i++;
      if (i >= ottl.length) return false;
    } else if ('([{'.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) return false;
  }
  return stack.length === 0;
}

describe('OTTL export (transform processor for Collector-only users)', () => {
  const text = readFileSync(OTTL_FILE, 'utf8');
  const groups = groupsOf(text);
  const config = parse(text) as { processors: Record<string, { error_mode?: string }> };
  const ottl = groups.flatMap((g) => [...g.conditions, ...g.statements]);
  const [recognise, ...catalogGroups] = groups;

  it('is one transform processor with error_mode ignore, a recognise group and a group per platform', () => {
    expect(Object.keys(config.processors)).toEqual([TRANSFORM_PROCESSOR_ID]);
    expect(config.processors[TRANSFORM_PROCESSOR_ID]?.error_mode).toBe('ignore');
    expect(catalogGroups).toHaveLength(catalog.platforms().length);
    for (const group of groups) expect(group.conditions).toHaveLength(1);
  });

  it('uses only balanced statements, known editors and converters, and log paths', () => {
    for (const statement of ottl) {
      expect(balanced(statement), statement).toBe(true);
      const functions = [...statement.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(/\b([A-Za-z_]+)\(/g)].map(
        (m) => m[1] as string,
      );
      for (const name of functions)
        expect(EDITORS.has(name) || CONVERTERS.has(name), `${name} in ${statement}`).toBe(true);
      const paths = statement.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/\b[a-z]+\.[a-z_]+/g) ?? [];
      for (const path of paths) expect(['log.attributes', 'log.cache', 'log.body'], statement).toContain(path);
    }
    for (const group of groups)
      for (const statement of group.statements)
        expect(EDITORS.has(statement.split('(')[0] as string), statement).toBe(true);
  });

  it('uses RE2-compatible patterns, with a named group in every ExtractPatterns', () => {
    const patterns = ottl.flatMap(patternsIn);
    expect(patterns.length).toBeGreaterThan(catalog.platforms().length);
    for (const pattern of patterns) expect(re2Problems(pattern), pattern).toEqual([]);
    for (const statement of ottl.filter((s) => s.includes('ExtractPatterns')))
      expect(patternsIn(statement)[0], statement).toMatch(/\(\?P<\w+>/);
  });

  it('has exactly one statement per listed code, with the catalog values', () => {
    for (const platform of catalog.platforms()) {
      const group = catalogGroups.find((g) => g.conditions[0]?.includes(`["platform"] == "${platform}"`));
      for (const entry of catalog.entries(platform)) {
        const matching = (group?.statements ?? []).filter((s) =>
          s.endsWith(`where log.attributes["error.type"] == "${entry.code}"`),
        );
        expect(matching, `${platform}:${entry.code}`).toHaveLength(1);
        const literal = /merge_maps\(log\.attributes, (\{.*\}), "insert"\)/.exec(matching[0] as string)?.[1];
        expect(JSON.parse(literal as string), entry.code).toEqual({
          category: entry.category,
          platform_fault: entry.platform_fault,
          remedy_url: entry.remedy_url,
        });
      }
    }
  });

  it('falls back for unlisted codes with each family pattern', () => {
    for (const platform of catalog.platforms()) {
      const group = catalogGroups.find((g) => g.conditions[0]?.includes(`["platform"] == "${platform}"`));
      for (const family of catalog.platform(platform)?.families ?? []) {
        const fallback = group?.statements.find((s) => patternsIn(s).includes(family.code_pattern));
        expect(fallback, `${platform} ${family.id}`).toContain('"platform_error.listed": false');
      }
    }
  });

  it('is what `catalog --format ottl` prints, and --platform narrows it', async () => {
    expect((await runCli('catalog', '--format', 'ottl')).stdout).toBe(text);
    const fly = groupsOf((await runCli('catalog', '--platform', 'fly', '--format', 'ottl')).stdout);
    expect(fly).toHaveLength(2);
    expect(fly.flatMap((g) => g.statements).join('\n')).not.toMatch(/"H12"|"heroku"/);
  });

  describe('recognise group, run on the text-body positives of the recogniser fixtures', () => {
    const prefilter = new RegExp(patternsIn(recognise?.conditions[0] ?? '')[0] as string);
    const run = (body: string) =>
      prefilter.test(body) ? runRecognise(recognise?.statements ?? [], body).attributes : {};
    const textual = fixtureFiles()
      .filter((file) => (recognise?.statements ?? []).some((s) => s.includes(`"${file.platform}"`)))
      .flatMap((file) => file.positives.map((fixture) => ({ platform: file.platform, fixture })))
      .filter(({ fixture }) => typeof fixture.body === 'string' && !fixture.attributes && !fixture.resource);

    it.each(textual.map(({ platform, fixture }) => [fixture.name, platform, fixture]))(
      '%s',
      (_name, platform, fixture) => {
        const attributes = run(fixture.body as string);
        expect(attributes[DEFAULT_ATTRIBUTE_KEYS.platform]).toBe(platform);
        expect(attributes[DEFAULT_ATTRIBUTE_KEYS.code]).toBe(fixture.expect?.code);
        expect(attributes[DEFAULT_ATTRIBUTE_KEYS.cause]).toBe(fixture.expect?.cause);
      },
    );

    it('tags no look-alike negative, except bare Fly codes at line start (no message check in RE2)', () => {
      const tagged = fixtureFiles()
        .flatMap((file) => file.negatives)
        .filter((fixture) => typeof fixture.body === 'string')
        .filter((fixture) => run(fixture.body as string)[DEFAULT_ATTRIBUTE_KEYS.code] !== undefined);
      for (const fixture of tagged) expect(fixture.body, fixture.name).toMatch(/^\[P[A-Z][0-9]{2}\] /);
    });
  });
});

describe('export attribute keys', () => {
  const pipeline = new Pipeline();
  afterAll(() => pipeline.shutdown());

  it('are the keys PlatformErrorProcessor writes by default', () => {
    const unlisted = pipeline.emit('heroku[router]: at=error code=H98 desc="Something new" status=503');
    const withCause = fixtureFiles()
      .flatMap((file) => file.positives)
      .find((f) => f.expect?.cause !== undefined && typeof f.body === 'string' && !f.attributes && !f.resource);
    const nested = pipeline.emit(withCause?.body);
    const written = new Set([...Object.keys(unlisted.attributes), ...Object.keys(nested.attributes)]);
    expect([...written].sort()).toEqual(Object.values(DEFAULT_ATTRIBUTE_KEYS).sort());
  });
});

describe('OTTL export escaping', () => {
  it("doubles $ for the Collector, doubles ' for YAML and escapes OTTL strings", () => {
    const url = "https://example.com/a$b'c#x";
    const tricky = loadCatalog({ sources: [{ platform: 'heroku', entries: [{ code: 'H12', remedy_url: url }] }] });
    const yaml = transformProcessorYaml(tricky, ['heroku']);
    expect(yaml).toContain("a$$b''c");
    const statement = groupsOf(yaml)
      .at(-1)
      ?.statements.find((s) => s.endsWith('== "H12"'));
    expect(JSON.parse(/(\{.*\})/.exec(statement as string)?.[1] as string).remedy_url).toBe(url);
    expect(ottlText('"a\\\\b\\"c"')).toBe('a\\b"c');
  });
});
