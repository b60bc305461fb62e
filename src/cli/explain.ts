import type { Catalog } from '../core/catalog/Catalog.ts';
import type { CatalogEntry } from '../core/catalog/types.ts';
import { type Style, terminalSafe } from './style.ts';

/** The human-readable explanation of one entry. */
export function formatEntry(entry: CatalogEntry, catalog: Catalog, style: Style): string {
  const platformName = catalog.platform(entry.platform)?.name ?? entry.platform;
  const fault = entry.platform_fault ? style.red(`yes — ${platformName}'s side`) : style.green('no — on your side');
  const facts = [
    `severity ${entry.severity}`,
    entry.http_status ? `HTTP ${entry.http_status.join('/')}` : '',
    entry.lifecycle,
  ]
    .filter(Boolean)
    .join(' · ');
  const rows: Array<[string, string]> = [
    ['category', entry.category],
    ['platform fault', `${fault} ${style.dim(`(${entry.fault_reason})`)}`],
    ['facts', facts],
    ['what happened', entry.summary],
    ['what to do', entry.remedy],
    ['docs', style.cyan(entry.remedy_url)],
  ];
  if (entry.draft)
    rows.push(['draft meaning', `${entry.draft.meaning}${entry.draft.now ? ` (now ${entry.draft.now})` : ''}`]);
  if (!entry.listed)
    rows.push(['note', style.yellow('well-formed, but not in the catalog: the values above are the family defaults')]);
  const title = `${style.bold(entry.code)} · ${platformName} · ${entry.title}`;
  // User catalogs are user data: their texts are printed terminal-safe too.
  return terminalSafe([title, ...rows.map(([k, v]) => `  ${style.dim(k.padEnd(14))} ${v}`)].join('\n'));
}

export interface ExplainResult {
  found: CatalogEntry[];
  /** Queries that matched nothing listed (well-formed unlisted codes resolve, but still count here). */
  unknown: string[];
}

export function explain(catalog: Catalog, queries: string[]): ExplainResult {
  const found: CatalogEntry[] = [];
  const unknown: string[] = [];
  for (const query of queries) {
    const entries = catalog.lookup(query);
    found.push(...entries);
    if (!entries.some((e) => e.listed)) unknown.push(query);
  }
  return { found, unknown };
}
