/**
 * Writes every artefact derived from the catalog: the Category type, docs/codes.md, the platform
 * and category tables in the README, the exports in docs/exports/ and the catalog lists of the Grafana dashboard.
 * `npm run generate` writes them; test/catalog/generated.test.ts fails when one is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../src/core/catalog/Catalog.ts';
import { catalogCsv, grafanaVariableQueries, transformProcessorYaml } from '../src/core/catalog/exports.ts';
import { builtinCatalogProblems, loadCatalog, readBuiltinYaml } from '../src/core/catalog/loadCatalog.ts';
import { catalogMarkdown, categoriesMarkdown, platformsMarkdown } from '../src/core/catalog/markdown.ts';
import { categoryIds } from '../src/core/catalog/validate.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The built-in catalog, precompiled: the YAML files as one JSON string that the module parses at
 * import (JSON.parse is V8's fastest way to build a large literal). Refuses to write a catalog
 * that fails validation, so what ships has passed the schema and the loader's checks.
 */
function builtinModule(): string {
  const problems = builtinCatalogProblems();
  if (problems.length > 0) throw new Error(`catalog/ does not validate:\n  ${problems.join('\n  ')}`);
  return [
    '// Generated from catalog/*.yaml by `npm run generate`, after validating them; edit the catalog, not this file.',
    "import type { CatalogFile } from './types.ts';",
    '',
    '/** The built-in catalog files, in file-name order. */',
    `export const BUILTIN_CATALOG: readonly CatalogFile[] = JSON.parse(${JSON.stringify(JSON.stringify(readBuiltinYaml()))});`,
    '',
  ].join('\n');
}

function vocabularyModule(): string {
  return [
    '// Generated from catalog/schema.json by `npm run generate`; edit the schema, not this file.',
    '',
    '/** The cross-platform category vocabulary (see docs/codes.md#categories). */',
    `export type Category =\n${categoryIds.map((id) => `  | '${id}'`).join('\n')};`,
    '',
  ].join('\n');
}

/**
 * `text` with the part between `<!-- name:start -->` and `<!-- name:end -->` replaced by `content`.
 * A missing, repeated or misordered marker is an error: a splice that silently does nothing
 * would leave the file stale and make the staleness test compare the file with itself.
 */
export function splice(text: string, name: string, content: string, origin: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const problem =
    from === -1 || to === -1
      ? `needs the markers ${start} and ${end}`
      : text.indexOf(start, from + 1) !== -1 || text.indexOf(end, to + 1) !== -1
        ? `has the markers of "${name}" more than once`
        : to < from
          ? `has ${end} before ${start}`
          : undefined;
  if (problem !== undefined) throw new Error(`${origin} ${problem}`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

const DASHBOARD = 'examples/grafana/platform-errors-dashboard.json';

/**
 * The dashboard with its `platform` and `code` custom variables listing the catalog. Only those two
 * query strings are replaced, so the hand-written rest (and its formatting) stays as it is.
 */
function dashboardWithCatalogVariables(catalog: Catalog, text: string): string {
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

/** Reads a file of the repository by its path relative to the root. */
export type ReadFile = (path: string) => string;

const readFromRoot: ReadFile = (path) => readFileSync(`${root}${path}`, 'utf8');

/**
 * Path (relative to the repo root) → expected content. Files that are only partly generated
 * (README, dashboard) are read through `read`, so a test can hand in a stale copy.
 */
export function generatedFiles(read: ReadFile = readFromRoot): Record<string, string> {
  const catalog = loadCatalog();
  return {
    'src/core/catalog/vocabulary.generated.ts': vocabularyModule(),
    'src/core/catalog/builtin.generated.ts': builtinModule(),
    'docs/codes.md': catalogMarkdown(catalog),
    'README.md': splice(
      splice(read('README.md'), 'categories', categoriesMarkdown(), 'README.md'),
      'platforms',
      platformsMarkdown(catalog),
      'README.md',
    ),
    'docs/exports/platform-errors.csv': `${catalogCsv(catalog)}\n`,
    'docs/exports/transform-platform-errors.yaml': `${transformProcessorYaml(catalog)}\n`,
    [DASHBOARD]: dashboardWithCatalogVariables(catalog, read(DASHBOARD)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, content] of Object.entries(generatedFiles())) {
    mkdirSync(dirname(`${root}${path}`), { recursive: true });
    writeFileSync(`${root}${path}`, content);
    process.stdout.write(`wrote ${path}\n`);
  }
}
