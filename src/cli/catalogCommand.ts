import type { Catalog } from '../core/catalog/Catalog.ts';
import { catalogCsv, transformProcessorYaml } from '../core/catalog/exports.ts';
import { catalogMarkdown } from '../core/catalog/markdown.ts';
import { type Style, terminalSafe } from './style.ts';

/**
 * `csv` serves both Vector's enrichment tables and the Collector lookupprocessor's csv source;
 * `ottl` is a transform-processor config for Collectors that see un-enriched platform lines.
 */
export const CATALOG_FORMATS = ['table', 'json', 'md', 'csv', 'ottl'] as const;
export type CatalogFormat = (typeof CATALOG_FORMATS)[number];

/** The catalog (or one platform of it) in the requested format. */
export function renderCatalog(catalog: Catalog, platforms: string[], format: CatalogFormat, style: Style): string {
  const entries = platforms.flatMap((p) => catalog.entries(p));
  switch (format) {
    case 'json':
      return JSON.stringify(entries, null, 2);
    case 'md':
      return catalogMarkdown(catalog, platforms);
    case 'csv':
      return catalogCsv(catalog, platforms);
    case 'ottl':
      return transformProcessorYaml(catalog, platforms);
    case 'table': {
      const width = Math.max(4, ...entries.map((e) => e.code.length));
      const header = style.dim(`${'platform'.padEnd(10)} ${'code'.padEnd(width)}  ${'category'.padEnd(13)} title`);
      const rows = entries.map((e) => {
        const fault = e.platform_fault ? style.red('platform fault') : '';
        return `${e.platform.padEnd(10)} ${style.bold(e.code.padEnd(width))}  ${e.category.padEnd(13)} ${terminalSafe(e.title)} ${fault}`.trimEnd();
      });
      return [header, ...rows].join('\n');
    }
  }
}
