/**
 * Structural checks of OpenTelemetry Collector configurations. No Collector binary runs in these
 * tests; this catches what `otelcol validate` would report for wiring mistakes, plus our own rules.
 */

type Components = Record<string, unknown>;

export interface Pipeline {
  receivers?: string[];
  processors?: string[];
  exporters?: string[];
}

export interface CollectorConfig {
  receivers?: Components;
  processors?: Components;
  exporters?: Components;
  extensions?: Components;
  service: { extensions?: string[]; pipelines: Record<string, Pipeline> };
}

/** The component type of an id such as `otlphttp/loki`. */
export const typeOf = (id: string): string => id.split('/')[0] as string;

/** The value the Collector would see with no environment set: `${env:NAME:-default}` → default. */
export function withDefaults<T>(value: T): T {
  if (typeof value === 'string')
    return value.replace(/\$\{env:\w+(?::-([^}]*))?\}/g, (_all, fallback?: string) => fallback ?? '') as T;
  if (Array.isArray(value)) return value.map(withDefaults) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDefaults(v)])) as T;
  return value;
}

/** Every wiring problem: undefined or unused components, processor order, extensions. */
export function wiringProblems(config: CollectorConfig): string[] {
  const problems: string[] = [];
  const kinds = ['receivers', 'processors', 'exporters'] as const;
  const used = new Set<string>();
  for (const [id, pipeline] of Object.entries(config.service.pipelines)) {
    if (!['logs', 'traces', 'metrics'].includes(typeOf(id))) problems.push(`pipeline ${id}: unknown signal`);
    for (const kind of kinds) {
      for (const component of pipeline[kind] ?? []) {
        used.add(`${kind}:${component}`);
        if (!(component in (config[kind] ?? {})))
          problems.push(`pipeline ${id}: ${kind} "${component}" is not defined`);
      }
    }
    if ((pipeline.receivers ?? []).length === 0) problems.push(`pipeline ${id}: no receivers`);
    if ((pipeline.exporters ?? []).length === 0) problems.push(`pipeline ${id}: no exporters`);
    const processors = pipeline.processors ?? [];
    if (typeOf(processors[0] ?? '') !== 'memory_limiter') problems.push(`pipeline ${id}: memory_limiter is not first`);
    if (typeOf(processors.at(-1) ?? '') !== 'batch') problems.push(`pipeline ${id}: batch is not last`);
  }
  for (const kind of kinds)
    for (const id of Object.keys(config[kind] ?? {}))
      if (!used.has(`${kind}:${id}`)) problems.push(`${kind} "${id}" is defined but in no pipeline`);
  const listed = config.service.extensions ?? [];
  for (const id of listed) if (!(id in (config.extensions ?? {}))) problems.push(`extension "${id}" is not defined`);
  for (const id of Object.keys(config.extensions ?? {}))
    if (!listed.includes(id)) problems.push(`extension "${id}" is defined but not enabled in service.extensions`);
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How the Collector merges several --config sources: maps merge key by key, anything else is replaced. */
export function mergeConfigs(base: unknown, overlay: unknown): unknown {
  if (!isObject(base) || !isObject(overlay)) return overlay;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) merged[key] = mergeConfigs(base[key], value);
  return merged;
}

/** A `yaml:a::b::c: value` config source as the nested map it stands for. */
export function yamlSource(source: string, parse: (text: string) => unknown): unknown {
  const body = source.replace(/^yaml:/, '');
  const colon = body.indexOf(': ');
  const path = body.slice(0, colon).split('::');
  return path.reduceRight<unknown>((value, key) => ({ [key]: value }), parse(body.slice(colon + 2)));
}
