import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TRANSFORM_PROCESSOR_ID } from '../../src/core/catalog/exports.ts';
import { type CollectorConfig, mergeConfigs, typeOf, wiringProblems, withDefaults, yamlSource } from './collector.ts';

const text = readFileSync('otel-config.yaml', 'utf8');
const config = withDefaults(parse(text) as CollectorConfig);

describe('otel-config.yaml (structure only: no Collector binary runs here)', () => {
  it('is wired correctly: defined, used components; memory_limiter first and batch last', () => {
    expect(wiringProblems(config)).toEqual([]);
  });

  it('has a logs pipeline from the OTLP receiver (gRPC 4317, HTTP 4318) to Loki and debug', () => {
    const otlp = config.receivers?.otlp as { protocols: Record<string, { endpoint: string }> };
    expect(otlp.protocols.grpc?.endpoint).toMatch(/:4317$/);
    expect(otlp.protocols.http?.endpoint).toMatch(/:4318$/);
    const logs = config.service.pipelines.logs;
    expect(logs?.receivers).toEqual(['otlp']);
    expect(logs?.exporters?.map(typeOf).sort()).toEqual(['debug', 'otlphttp']);
  });

  it("sends to Loki's native OTLP endpoint, …/otlp (the exporter appends /v1/logs)", () => {
    const loki = Object.entries(config.exporters ?? {}).filter(([id]) => typeOf(id) === 'otlphttp');
    expect(loki).toHaveLength(1);
    const [, settings] = loki[0] as [string, { endpoint: string }];
    const endpoint = new URL(settings.endpoint);
    expect(endpoint.pathname).toBe('/otlp');
    // The old loki exporter needed label hints and is gone from contrib; nothing should use it.
    expect(Object.keys(config.exporters ?? {}).map(typeOf)).not.toContain('loki');
  });

  it('gives every environment override a default, so the file runs as it is', () => {
    const settings = text.split('\n').filter((line) => !line.trimStart().startsWith('#'));
    const overrides = settings.flatMap((line) => [...line.matchAll(/\$\{env:\w+[^}]*\}/g)].map((m) => m[0]));
    expect(overrides.length).toBeGreaterThan(0);
    for (const override of overrides) expect(override).toMatch(/^\$\{env:\w+:-[^}]+\}$/);
  });

  it('stays valid with the documented transform-processor overlay for Collector-only users', () => {
    const commands = [...text.matchAll(/--config='(yaml:[^']+)'/g)].map((m) => m[1] as string);
    expect(commands).toHaveLength(1);
    const transform = parse(readFileSync('docs/exports/transform-platform-errors.yaml', 'utf8'));
    const merged = [transform, yamlSource(commands[0] as string, parse)].reduce(
      mergeConfigs,
      config,
    ) as CollectorConfig;
    expect(wiringProblems(merged)).toEqual([]);
    expect(merged.service.pipelines.logs?.processors).toContain(TRANSFORM_PROCESSOR_ID);
  });

  it('rejects the mistakes it is meant to catch', () => {
    const broken = structuredClone(config);
    const logs = broken.service.pipelines.logs as { processors: string[]; exporters: string[] };
    logs.processors = ['batch', 'memory_limiter'];
    logs.exporters = ['debug', 'otlphttp/tempo'];
    expect(wiringProblems(broken)).toEqual([
      'pipeline logs: exporters "otlphttp/tempo" is not defined',
      'pipeline logs: memory_limiter is not first',
      'pipeline logs: batch is not last',
      'exporters "otlphttp/loki" is defined but in no pipeline',
    ]);
  });
});
