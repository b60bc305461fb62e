/**
 * Writes every artefact derived from the catalog: the Category type, docs/codes.md and the category
 * table in the README. `npm run generate` writes them; test/generated.test.ts fails when one is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/** Path (relative to the repo root) → expected content. */
export function generatedFiles(): Record<string, string> {
  return {
    'src/catalog/vocabulary.generated.ts': vocabularyModule(),
    'docs/codes.md': catalogMarkdown(loadCatalog()),
    'README.md': readmeWithCategories(),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, content] of Object.entries(generatedFiles())) {
    writeFileSync(`${root}${path}`, content);
    process.stdout.write(`wrote ${path}\n`);
  }
}
