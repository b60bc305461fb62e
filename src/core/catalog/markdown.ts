import type { Catalog } from './Catalog.ts';
import type { CatalogEntry } from './types.ts';
import { catalogSchema } from './validate.ts';

const escapeCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The category vocabulary as a Markdown table, from catalog/schema.json. */
export function categoriesMarkdown(): string {
  const rows = (catalogSchema.$defs.category.oneOf as Array<{ const: string; description: string }>).map(
    (c) => `| \`${c.const}\` | ${escapeCell(c.description)} |`,
  );
  return ['| category | meaning |', '| --- | --- |', ...rows].join('\n');
}

/**
 * One row per platform: how many codes, per family, by lifecycle, and which are platform faults
 * (the README's catalog table).
 */
export function platformsMarkdown(catalog: Catalog): string {
  const rows = catalog.platforms().map((platform) => {
    const file = catalog.platform(platform);
    const entries = catalog.entries(platform);
    const count = (pick: (e: CatalogEntry) => boolean) => entries.filter(pick).length;
    const families = (file?.families ?? [])
      .map((f) => [f.id, count((e) => e.family === f.id)] as const)
      .filter(([, n]) => n > 0)
      .map(([id, n]) => `${id} ${n}`)
      .join(' · ');
    const lifecycles = [...new Set(entries.map((e) => e.lifecycle))]
      .map((l) => `${l} ${count((e) => e.lifecycle === l)}`)
      .join(' · ');
    const faults = entries.filter((e) => e.platform_fault).map((e) => e.code);
    return `| ${file?.name ?? platform} | ${entries.length} | ${families} | ${lifecycles} | ${faults.length > 0 ? faults.join(', ') : 'none'} |`;
  });
  return [
    '| platform | codes | by family | by lifecycle | platform faults |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function entryRow(e: CatalogEntry): string {
  const fault = e.platform_fault ? '**yes**' : 'no';
  const status = e.http_status?.join(', ') ?? '';
  const draft = e.draft ? ` (draft: ${escapeCell(e.draft.meaning)})` : '';
  return `| [${e.code}](${e.remedy_url}) | ${escapeCell(e.title)}${draft} | ${e.family} | \`${e.category}\` | ${fault} | ${e.severity} | ${status} | ${e.lifecycle} |`;
}

/** One platform's section: families, then a row per code. */
export function platformMarkdown(catalog: Catalog, platform: string): string {
  const file = catalog.platform(platform);
  if (!file) return '';
  const entries = catalog.entries(platform);
  const faults = entries.filter((e) => e.platform_fault).map((e) => e.code);
  return [
    `## ${file.name}`,
    '',
    `${entries.length} codes from ${file.error_page}. Platform faults: ${faults.length > 0 ? faults.join(', ') : 'none'}.`,
    '',
    '| family | name | category of unlisted codes |',
    '| --- | --- | --- |',
    ...file.families.map((f) => `| ${f.id} | ${escapeCell(f.name)} | \`${f.fallback_category}\` |`),
    '',
    '| code | title | family | category | platform fault | severity | HTTP | lifecycle |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...entries.map(entryRow),
  ].join('\n');
}

/** The whole reference, docs/codes.md. */
export function catalogMarkdown(catalog: Catalog, platforms = catalog.platforms()): string {
  return [
    '# Platform error codes',
    '',
    '<!-- Generated from catalog/*.yaml by `npm run generate`; edit the catalog, not this file. -->',
    '',
    "Every code the catalog knows, with its category, whether it is the platform's fault, and a link",
    'to the section of the official page that explains it. `otel-platform-errors explain CODE` prints',
    'the summary and remedy of any of them.',
    '',
    '## Categories',
    '',
    categoriesMarkdown(),
    '',
    ...platforms.map((p) => `${platformMarkdown(catalog, p)}\n`),
  ].join('\n');
}
