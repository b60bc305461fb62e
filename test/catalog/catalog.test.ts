import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtinCatalogFiles, builtinCatalogProblems, loadCatalog } from '../../src/core/catalog/loadCatalog.ts';
import type { CatalogFile } from '../../src/core/catalog/types.ts';
import { catalogSchema, categoryIds } from '../../src/core/catalog/validate.ts';
import { slug } from '../helpers/seeds.ts';

const catalog = loadCatalog();
const files = builtinCatalogFiles();

describe('built-in catalog files', () => {
  it('has one file per platform, each valid against catalog/schema.json', () => {
    const names = readdirSync('catalog').filter((f) => f.endsWith('.yaml'));
    expect(names.map((n) => n.replace(/\.yaml$/, '')).sort()).toEqual(catalog.platforms().sort());
    const validate = new Ajv({ allErrors: true }).compile(catalogSchema);
    for (const name of names) {
      const valid = validate(parse(readFileSync(`catalog/${name}`, 'utf8')));
      expect(validate.errors ?? [], name).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('passes every check the loader makes on user catalogs (schema, duplicates, families, patterns)', () => {
    expect(builtinCatalogProblems()).toEqual([]);
  });

  it('uses a category vocabulary of about a dozen values, each used somewhere', () => {
    expect(categoryIds.length).toBeGreaterThanOrEqual(10);
    expect(categoryIds.length).toBeLessThanOrEqual(16);
    const used = new Set<string>(catalog.entries().map((e) => e.category));
    expect(categoryIds.filter((c) => !used.has(c))).toEqual([]);
  });

  it('records why every entry is or is not a platform fault', () => {
    for (const entry of catalog.entries()) expect(entry.fault_reason.length, entry.code).toBeGreaterThan(10);
  });
});

/** A remedy link as the platform's page would have it, re-derived from the entry's heading. */
function expectedRemedyUrl(file: CatalogFile, code: string): string {
  const entry = file.entries.find((e) => e.code === code);
  if (!entry) throw new Error(code);
  const rule = file.families.find((f) => f.id === entry.family)?.anchor_rule ?? file.anchor_rule;
  if (rule === 'page') return entry.remedy_url.replace(/[^/]+\/$/, `error-${code}/`);
  // No section anywhere: the service's own page, on the platform's documentation site.
  if (rule === 'service')
    return new URL(entry.remedy_url).host === new URL(file.error_page).host ? entry.remedy_url : '';
  // Codes only real logs print have no section of their own: the page itself.
  if (entry.lifecycle === 'undocumented') return file.error_page;
  const heading =
    entry.heading ?? (file.heading_format ?? '{title}').replace('{code}', code).replace('{title}', entry.title);
  return `${file.error_page}#${slug(heading)}`;
}

describe('remedy links', () => {
  it.each(files.flatMap((f) => f.entries.map((e) => [f.platform, e.code, f] as const)))(
    '%s %s links to its own section',
    (_platform, code, file) => {
      const entry = file.entries.find((e) => e.code === code);
      expect(entry?.remedy_url).toBe(expectedRemedyUrl(file, code));
    },
  );

  it('page-rule links stay under the platform page they belong to', () => {
    for (const file of files) {
      for (const family of file.families.filter((f) => f.anchor_rule === 'page')) {
        for (const entry of file.entries.filter((e) => e.family === family.id)) {
          expect(entry.remedy_url).toMatch(
            /^https:\/\/developers\.cloudflare\.com\/support\/troubleshooting\/http-status-codes\/cloudflare-5xx-errors\/error-[0-9]{3}\/$/,
          );
        }
      }
    }
  });
});

describe('coverage of the current official lists (platforms.md)', () => {
  const has = (platform: string, codes: string[]) => codes.filter((c) => !catalog.get(platform, c));

  it('Heroku H24–H34, H80–H83, R17, L13–L15', () => {
    expect(has('heroku', ['H24', 'H25', 'H26', 'H27', 'H28', 'H31', 'H32', 'H33', 'H34'])).toEqual([]);
    expect(has('heroku', ['H80', 'H81', 'H82', 'H83', 'R17', 'L13', 'L14', 'L15'])).toEqual([]);
  });

  it('Fly.io PL01/PL02', () => {
    expect(has('fly', ['PL01', 'PL02'])).toEqual([]);
  });

  it('Cloudflare "Object referenced by other objects" and the 5xx origin errors', () => {
    expect(has('cloudflare', ['object-referenced-by-other-objects'])).toEqual([]);
    expect(has('cloudflare', ['520', '521', '522', '523', '524', '525', '526', '527', '530'])).toEqual([]);
  });

  it('Heroku: only H99 and R99 are platform faults, as the page says', () => {
    expect(
      catalog
        .entries('heroku')
        .filter((e) => e.platform_fault)
        .map((e) => e.code)
        .sort(),
    ).toEqual(['H99', 'R99']);
  });

  it('severities follow the documented at= levels', () => {
    expect(catalog.get('heroku', 'H27')?.severity).toBe('warning');
    expect(catalog.get('heroku', 'H28')?.severity).toBe('warning');
    expect(catalog.get('heroku', 'H80')?.severity).toBe('info');
    expect(catalog.get('heroku', 'H81')?.severity).toBe('info');
  });
});

describe('unlisted but well-formed codes', () => {
  it('get a fallback entry from their family', () => {
    const h45 = catalog.resolve('heroku', 'H45');
    expect(h45).toMatchObject({ platform: 'heroku', code: 'H45', family: 'H', listed: false, platform_fault: false });
    expect(h45?.remedy_url).toBe(catalog.platform('heroku')?.error_page);
    const px07 = catalog.resolve('fly', 'PX07');
    expect(px07).toBeUndefined(); // X is no Fly family
    const pc42 = catalog.resolve('fly', 'PC42');
    expect(pc42).toMatchObject({
      family: 'C',
      listed: false,
      category: catalog.platform('fly')?.families.find((f) => f.id === 'C')?.fallback_category,
    });
  });

  it('do not turn arbitrary strings into codes', () => {
    for (const code of ['H1', 'H1234', 'h12', 'X12', 'P', 'PC1', ''])
      expect(catalog.resolve('heroku', code), code).toBeUndefined();
    expect(catalog.resolve('fly', 'pc01')).toBeUndefined();
  });
});
