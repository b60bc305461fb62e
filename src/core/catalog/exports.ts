import { DEFAULT_ATTRIBUTE_KEYS } from '../attributes.ts';
import { recognisers as builtinRecognisers } from '../recognisers/index.ts';
import type { OttlShape, Recogniser } from '../recognisers/types.ts';
import type { Catalog } from './Catalog.ts';
import type { CatalogEntry } from './types.ts';

// ---------------------------------------------------------------------------------------------
// CSV: one table for Vector's `file` enrichment table and the Collector lookupprocessor's csv source
// ---------------------------------------------------------------------------------------------

/**
 * `key` (`platform:code`) is unique by construction, so the lookupprocessor's single key column
 * never silently keeps the last of two rows; Vector matches on `platform` and `code` instead.
 */
export const CSV_COLUMNS = [
  'key',
  'platform',
  'code',
  'category',
  'platform_fault',
  'remedy_url',
  'title',
  'severity',
  'family',
  'lifecycle',
] as const;

/** RFC 4180 quoting: only when needed, so most cells stay readable; Go's strict reader accepts it. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvCells(entry: CatalogEntry): string[] {
  return [
    `${entry.platform}:${entry.code}`,
    entry.platform,
    entry.code,
    entry.category,
    String(entry.platform_fault),
    entry.remedy_url,
    entry.title,
    entry.severity,
    entry.family,
    entry.lifecycle,
  ];
}

/** The catalog as CSV: a header row, then one row per listed code (no trailing newline). */
export function catalogCsv(catalog: Catalog, platforms: readonly string[] = catalog.platforms()): string {
  const rows = [[...CSV_COLUMNS], ...platforms.flatMap((p) => catalog.entries(p)).map(csvCells)];
  return rows.map((cells) => cells.map(csvField).join(',')).join('\n');
}

// ---------------------------------------------------------------------------------------------
// OTTL: a transform-processor config for Collectors that receive un-enriched text logs
// ---------------------------------------------------------------------------------------------

/** The processor id in the generated config; users add it to their logs pipeline. */
export const TRANSFORM_PROCESSOR_ID = 'transform/platform_errors';

/** An OTTL string literal: backslashes and double quotes escaped. */
function ottlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const attr = (key: string): string => `log.attributes[${ottlString(key)}]`;
const cache = (key: string): string => `log.cache[${ottlString(key)}]`;

/** An OTTL map literal of constant values. */
function ottlMap(values: Record<string, string | boolean>): string {
  const pairs = Object.entries(values).map(
    ([key, value]) => `${ottlString(key)}: ${typeof value === 'string' ? ottlString(value) : value}`,
  );
  return `{${pairs.join(', ')}}`;
}

interface Statement {
  ottl: string;
  comment?: string;
}

interface StatementGroup {
  comment: string;
  condition: string;
  statements: Statement[];
}

/** The exports write the processor's default keys. */
const A = DEFAULT_ATTRIBUTE_KEYS;

/** The platform's family patterns as one unanchored alternation. */
function familyAlternation(catalog: Catalog, platform: string): string {
  const patterns = (catalog.platform(platform)?.families ?? []).map((f) => f.code_pattern.replace(/^\^|\$$/g, ''));
  return `(?:${patterns.join('|')})`;
}

interface PlatformShape extends OttlShape {
  platform: string;
}

/** The text shapes of the selected platforms' recognisers, each written beside its recogniser. */
function shapesOf(recognisers: readonly Recogniser[], platforms: readonly string[]): PlatformShape[] {
  return recognisers
    .filter((r) => platforms.includes(r.platform))
    .flatMap((r) => (r.ottl?.shapes ?? []).map((shape) => ({ ...shape, platform: r.platform })));
}

/**
 * One cheap scan that every line with a code passes (lines that fail it skip all other
 * statements): the shapes' own patterns, without their group names.
 */
function prefilter(shapes: readonly PlatformShape[], catalog: Catalog): string {
  return shapes
    .map((s) => s.pattern.replace('{codes}', () => familyAlternation(catalog, s.platform)).replace(/\?P<[a-z]+>/g, ''))
    .join('|');
}

function recogniseGroup(
  catalog: Catalog,
  recognisers: readonly Recogniser[],
  platforms: readonly string[],
): StatementGroup | undefined {
  const shapes = shapesOf(recognisers, platforms);
  if (shapes.length === 0) return undefined;
  const statements: Statement[] = [];
  shapes.forEach((shape, i) => {
    const pattern = shape.pattern.replace('{codes}', () => familyAlternation(catalog, shape.platform));
    const requires = shape.requires ? ` and IsMatch(log.body, ${ottlString(shape.requires)})` : '';
    statements.push({
      ottl: `merge_maps(log.cache, ExtractPatterns(log.body, ${ottlString(pattern)}), "upsert") where ${cache('code')} == nil${requires}`,
      comment: shape.example,
    });
    if (shapes[i + 1]?.platform === shape.platform) return;
    // The platform's last shape: whatever matched so far is this platform's code.
    const platform = ottlString(shape.platform);
    statements.push({
      ottl: `set(${cache('platform')}, ${platform}) where ${cache('code')} != nil and ${cache('platform')} == nil`,
    });
    const cause = recognisers.find((r) => r.platform === shape.platform)?.ottl?.cause;
    if (cause !== undefined) {
      statements.push({
        ottl: `merge_maps(log.cache, ExtractPatterns(log.body, ${ottlString(cause)}), "upsert") where ${cache('platform')} == ${platform}`,
        comment: 'nested cause code',
      });
    }
  });
  statements.push(
    {
      ottl: `merge_maps(log.attributes, {${ottlString(A.code)}: ${cache('code')}, ${ottlString(A.platform)}: ${cache('platform')}}, "insert") where ${cache('platform')} != nil`,
    },
    { ottl: `set(${attr(A.cause)}, ${cache('cause')}) where ${cache('cause')} != nil and ${attr(A.cause)} == nil` },
  );
  const names = [...new Set(shapes.map((s) => s.platform))];
  return {
    comment: `Recognise: find the code in text bodies (${names.join(', ')}); set ${A.code}, ${A.platform}, ${A.cause}.`,
    condition: `IsString(log.body) and ${attr(A.code)} == nil and IsMatch(log.body, ${ottlString(prefilter(shapes, catalog))})`,
    statements,
  };
}

function catalogGroup(catalog: Catalog, platform: string): StatementGroup {
  const file = catalog.platform(platform);
  const listed = catalog.entries(platform).map((entry) => ({
    ottl: `merge_maps(log.attributes, ${ottlMap({
      [A.category]: entry.category,
      [A.platformFault]: entry.platform_fault,
      [A.remedyUrl]: entry.remedy_url,
    })}, "insert") where ${attr(A.code)} == ${ottlString(entry.code)}`,
    comment: entry.title.replace(/\s+/g, ' '),
  }));
  const fallbacks = (file?.families ?? []).map((family) => ({
    ottl: `merge_maps(log.attributes, ${ottlMap({
      [A.category]: family.fallback_category,
      [A.platformFault]: false,
      [A.remedyUrl]: file?.error_page ?? '',
      [A.listed]: false,
    })}, "insert") where ${attr(A.category)} == nil and IsMatch(${attr(A.code)}, ${ottlString(family.code_pattern)})`,
    comment: `unlisted ${family.name} code`,
  }));
  return {
    comment: `Enrich ${file?.name ?? platform}: ${A.category}, ${A.platformFault}, ${A.remedyUrl} per listed code, then per family for unlisted ones.`,
    condition: `${attr(A.platform)} == ${ottlString(platform)} and ${attr(A.code)} != nil and ${attr(A.category)} == nil`,
    statements: [...listed, ...fallbacks],
  };
}

/** A YAML single-quoted scalar; `$` doubled because the Collector expands `${…}` in config values. */
function configString(value: string): string {
  return `'${value.split('$').join('$$').replace(/'/g, "''")}'`;
}

function header(names: readonly string[]): string {
  return `# Generated from catalog/*.yaml by \`npm run generate\` (also: otel-platform-errors catalog --format ottl).
# Edit the catalog, not this file.
#
# A transform processor for Collectors that receive platform log lines nobody enriched in the app.
# ${names.length > 0 ? `It recognises codes in text bodies (${names.join(', ')}), then sets` : 'It sets'} the same attributes as
# PlatformErrorProcessor (${Object.values(A).join(', ')}).
# Records that already carry ${A.code} are not recognised again, and no attribute is overwritten.
# It approximates the JS recognisers: RE2 has no lookaround, message texts and JSON bodies are not
# checked, and only codes that match a family of the catalog are taken.
#
# Use it by passing this file as a second --config and adding the processor to the logs pipeline
# after memory_limiter and before batch (see docs/grafana.md, "Collector-only users").
# Needs the contrib distribution with OTTL map literals and context-prefixed paths (0.120+).
# \`$$\` is the Collector's escape for a literal \`$\`.`;
}

/**
 * The transform-processor config (YAML, no trailing newline): a recognise group for the text
 * shapes of the selected platforms' recognisers, then one group per platform mapping codes to
 * attributes.
 */
export function transformProcessorYaml(
  catalog: Catalog,
  platforms: readonly string[] = catalog.platforms(),
  recognisers: readonly Recogniser[] = builtinRecognisers,
): string {
  const groups = [
    recogniseGroup(catalog, recognisers, platforms),
    ...platforms.map((p) => catalogGroup(catalog, p)),
  ].filter((g): g is StatementGroup => g !== undefined);
  const lines = [
    header([...new Set(shapesOf(recognisers, platforms).map((s) => s.platform))]),
    'processors:',
    `  ${TRANSFORM_PROCESSOR_ID}:`,
    '    error_mode: ignore',
    '    log_statements:',
  ];
  for (const group of groups) {
    lines.push(`      # ${group.comment}`, '      - conditions:', `          - ${configString(group.condition)}`);
    lines.push('        statements:');
    for (const { ottl, comment } of group.statements) {
      if (comment !== undefined) lines.push(`          # ${comment}`);
      lines.push(`          - ${configString(ottl)}`);
    }
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Grafana: values of the dashboard's custom variables
// ---------------------------------------------------------------------------------------------

/**
 * Loki cannot list structured-metadata values for a dashboard variable (grafana/grafana#84909),
 * so the dashboard's `platform` and `code` variables are custom lists taken from the catalog.
 */
export function grafanaVariableQueries(catalog: Catalog): { platform: string; code: string } {
  return {
    platform: catalog.platforms().join(','),
    code: catalog
      .entries()
      .map((e) => e.code)
      .join(','),
  };
}
