import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { catalogPath } from './paths.ts';

/** ajv is loaded only when a catalog is validated (user catalogs, tests), not at start-up. */
const require = createRequire(import.meta.url);

/** A code as problems print it: quoted, escaped, and cut, so a hostile one cannot flood or forge lines. */
export function quoteCode(code: string): string {
  return JSON.stringify(code.length > 40 ? `${code.slice(0, 40)}…` : code);
}

/** A catalog failed validation; the message names the file, the entry and the field. */
export class CatalogValidationError extends Error {
  public readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} catalog problems:\n  ${problems.join('\n  ')}`);
    this.name = 'CatalogValidationError';
    this.problems = problems;
  }
}

type SchemaNode = Record<string, unknown>;
type JsonSchema = SchemaNode & { $defs: { category: SchemaNode; entry: SchemaNode; family: SchemaNode } };

/** The catalog file schema, as shipped in catalog/schema.json. */
export const catalogSchema: JsonSchema = JSON.parse(readFileSync(catalogPath('schema.json'), 'utf8'));

/** Ids of the cross-platform category vocabulary, in schema order. */
export const categoryIds: readonly string[] = (catalogSchema.$defs.category.oneOf as Array<{ const: string }>).map(
  (c) => c.const,
);

let validators: { full: ValidateFunction; partial: ValidateFunction; entry: ValidateFunction } | undefined;

/**
 * The schema, and a relaxed variant for user catalogs: a user file only needs `platform`, and its
 * entries only `code`, because fields it omits come from the built-in entry it overrides. Merged
 * results are checked against the full entry schema afterwards.
 */
function getValidators() {
  if (validators) return validators;
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  const ajv = new Ajv({ allErrors: true, strict: true });
  const partial = structuredClone(catalogSchema) as JsonSchema;
  partial.$id = `${String(catalogSchema.$id)}#partial`;
  partial.required = ['platform'];
  partial.$defs.entry = { ...partial.$defs.entry, required: ['code'] };
  partial.$defs.family = { ...partial.$defs.family, required: ['id'] };
  ajv.addSchema(catalogSchema);
  validators = {
    full: ajv.getSchema(String(catalogSchema.$id)) as ValidateFunction,
    partial: ajv.compile(partial),
    entry: ajv.compile({ $ref: `${String(catalogSchema.$id)}#/$defs/entry` }),
  };
  return validators;
}

/** Validates a whole catalog file; returns human-readable problems (empty when valid). */
export function validateCatalogFile(data: unknown, origin: string, mode: 'full' | 'partial' = 'full'): string[] {
  const validate = getValidators()[mode];
  return validate(data) ? [] : describe(validate.errors ?? [], data, origin);
}

/** Validates one merged entry against the full entry schema. */
export function validateEntry(entry: unknown, origin: string, index: number): string[] {
  const validate = getValidators().entry;
  if (validate(entry)) return [];
  return describe(validate.errors ?? [], { entries: [entry] }, origin, (path) => `/entries/${index}${path}`).map((p) =>
    p.replace(`entry #1`, `entry #${index + 1}`),
  );
}

/** Turns ajv errors into one line per failing field: "<file>: entry #3 (code "H12"): field "category": …". */
function describe(
  errors: ErrorObject[],
  data: unknown,
  origin: string,
  mapPath: (path: string) => string = (p) => p,
): string[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const path = mapPath(error.instancePath);
    const key =
      error.keyword === 'required' || error.keyword === 'additionalProperties'
        ? `${path}|${error.keyword}|${JSON.stringify(error.params)}`
        : path;
    byPath.set(key, [...(byPath.get(key) ?? []), error]);
  }
  const problems: string[] = [];
  for (const group of byPath.values()) {
    const first = group[0] as ErrorObject;
    const segments = mapPath(first.instancePath).split('/').slice(1);
    problems.push(`${origin}: ${locate(segments, data, first)}: ${explain(group)}`);
  }
  return problems;
}

function locate(segments: string[], data: unknown, error: ErrorObject): string {
  let where = 'top level';
  let rest = segments;
  if (segments[0] === 'entries' && segments.length >= 2) {
    const index = Number(segments[1]);
    const entry = (data as { entries?: Array<{ code?: unknown }> }).entries?.[index];
    const code = typeof entry?.code === 'string' ? ` (code ${quoteCode(entry.code)})` : '';
    where = `entry #${index + 1}${code}`;
    rest = segments.slice(2);
  } else if (segments[0] === 'families' && segments.length >= 2) {
    where = `family #${Number(segments[1]) + 1}`;
    rest = segments.slice(2);
  }
  if (error.keyword === 'required') rest = [...rest, String(error.params.missingProperty)];
  if (error.keyword === 'additionalProperties') rest = [...rest, String(error.params.additionalProperty)];
  return rest.length === 0 ? where : `${where}: field "${rest.join('.')}"`;
}

function explain(group: ErrorObject[]): string {
  const first = group[0] as ErrorObject;
  if (group.some((e) => e.schemaPath.includes('/category/oneOf') || e.schemaPath.startsWith('#/oneOf'))) {
    return `must be one of ${categoryIds.join(', ')}`;
  }
  switch (first.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'enum':
      return `must be one of ${(first.params.allowedValues as unknown[]).join(', ')}`;
    case 'pattern':
      return first.schemaPath.includes('httpsUrl')
        ? 'must be an https:// URL'
        : `does not match ${String(first.params.pattern)}`;
    default:
      return first.message ?? 'is invalid';
  }
}
