/**
 * Writes every artefact derived from the catalog: the Category type, docs/codes.md, the category
 * table in the README, the exports in docs/exports/ and the catalog lists of the Grafana dashboard.
 * `npm run generate` writes them; test/generated.test.ts fails when one is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../src/catalog/Catalog.ts';
import { catalogCsv, grafanaVariableQueries, transformProcessorYaml } from '../src/catalog/exports.ts';
import { loadCatalog } from '../src/catalog/loadCatalog.ts';
import { catalogMarkdown, categoriesMarkdown } from '../src/catalog/markdown.ts';
import { categoryIds } from '../src/catalog/validate.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

function vocabularyModule(): string {
  return [
    '// Generated from catalog/schema.json by `npm run generate`; edit the schema, not this file.',
    '',
    '/** The cross-platform category vocabulary (see docs/codes.md#categories). */',
    `export type Category =\n${categoryIds.map((id) => `  | '${id}'`).join('\n')};`,
    '',
  ].join('\n');
}

function readmeWithCategories(): string {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  return readme.replace(
    /(<!-- categories:start -->\n)[\s\S]*?(\n<!-- categories:end -->)/,
    (_all, start: string, end: string) => `${start}${categoriesMarkdown()}${end}`,
  );
}

const DASHBOARD = 'examples/grafana/platform-errors-dashboard.json';

/**
 * The dashboard with its `platform` and `code` custom variables listing the catalog. Only those two
 * query strings are replaced, so the hand-written rest (and its formatting) stays as it is.
 */
function dashboardWithCatalogVariables(catalog: Catalog): string {
  const text = readFileSync(`${root}${DASHBOARD}`, 'utf8');
  const variables = (JSON.parse(text) as { templating: { list: Array<{ name: string; query?: unknown }> } }).templating
    .list;
  let result = text;
  for (const [name, query] of Object.entries(grafanaVariableQueries(catalog))) {
    const current = variables.find((v) => v.name === name)?.query;
    const from = `"query": ${JSON.stringify(current)}`;
    if (typeof current !== 'string' || result.split(from).length !== 2) {
      throw new Error(`${DASHBOARD}: variable "${name}" needs a query string that occurs once in the file`);
    }
    result = result.replace(from, () => `"query": ${JSON.stringify(query)}`);
  }
  return result;
}

/** Path (relative to the repo root) → expected content. */
export function generatedFiles(): Record<string, string> {
  const catalog = loadCatalog();
  return {
    'src/catalog/vocabulary.generated.ts': vocabularyModule(),
    'docs/codes.md': catalogMarkdown(catalog),
    'README.md': readmeWithCategories(),
    'docs/exports/platform-errors.csv': `${catalogCsv(catalog)}\n`,
    'docs/exports/transform-platform-errors.yaml': `${transformProcessorYaml(catalog)}\n`,
    [DASHBOARD]: dashboardWithCatalogVariables(catalog),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, content] of Object.entries(generatedFiles())) {
    mkdirSync(dirname(`${root}${path}`), { recursive: true });
    writeFileSync(`${root}${path}`, content);
    process.stdout.write(`wrote ${path}\n`);
  }
}
