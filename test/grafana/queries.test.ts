import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkLogql } from './logql.ts';

interface RulerRule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
}
interface GrafanaRule {
  uid: string;
  condition: string;
  data: Array<{ refId: string; datasourceUid: string; model: { expr?: string; type?: string; expression?: string } }>;
  annotations?: Record<string, string>;
}

/** The cookbook lives in the README; docs/grafana.md has the Collector and export recipes. */
const doc = `${readFileSync('README.md', 'utf8')}\n${readFileSync('docs/grafana.md', 'utf8')}`;
const blocks = (language: string): string[] =>
  [...doc.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);
const rulerRules = (text: string): RulerRule[] =>
  (parse(text) as { groups: Array<{ rules: RulerRule[] }> }).groups.flatMap((g) => g.rules);
const grafanaRules = (text: string): GrafanaRule[] =>
  (parse(text) as { groups: Array<{ rules: GrafanaRule[] }> }).groups.flatMap((g) => g.rules);

const loki = rulerRules(readFileSync('examples/grafana/loki-rules.yaml', 'utf8'));
const grafana = grafanaRules(readFileSync('examples/grafana/alerting/platform-faults.yaml', 'utf8'));
const docYaml = blocks('yaml').map((text) => parse(text) as Record<string, unknown>);
const docLoki = docYaml
  .filter((y) => 'groups' in y && !('apiVersion' in y))
  .flatMap((y) => rulerRules(JSON.stringify(y)));
const docGrafana = docYaml
  .filter((y) => 'apiVersion' in y && 'groups' in y)
  .flatMap((y) => grafanaRules(JSON.stringify(y)));

/** Labels an alert template reads (`$labels.x`) must be labels its query keeps (`by (…)`). */
function templateLabelsKept(expr: string, annotations: Record<string, string> = {}): void {
  const kept = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) =>
    (m[1] as string).split(',').map((s) => s.trim()),
  );
  for (const [, label] of Object.values(annotations)
    .join(' ')
    .matchAll(/\$labels\.(\w+)/g))
    expect(kept, `$labels.${label}`).toContain(label);
}

describe('README.md and docs/grafana.md', () => {
  it('the README has the Querying in Grafana section', () => {
    expect(readFileSync('README.md', 'utf8').match(/^## Querying in Grafana$/gm)).toHaveLength(1);
  });

  it.each(blocks('logql').map((query) => [query.trim()]))('cookbook query %s is valid over our labels', (query) => {
    expect(checkLogql(query, [])).toEqual([]);
  });

  it('shows the alert rules as they are in examples/grafana', () => {
    expect(docLoki.length).toBeGreaterThan(0);
    expect(docGrafana.length).toBeGreaterThan(0);
    for (const rule of docLoki) expect(rule.expr).toBe(loki.find((r) => r.alert === rule.alert)?.expr);
    for (const rule of docGrafana)
      expect(rule.data[0]?.model.expr).toBe(grafana.find((r) => r.uid === rule.uid)?.data[0]?.model.expr);
  });
});

describe('examples/grafana/loki-rules.yaml', () => {
  it.each(loki.map((rule) => [rule.alert, rule]))('%s: valid LogQL, templates read kept labels', (_name, rule) => {
    expect(checkLogql(rule.expr, [])).toEqual([]);
    templateLabelsKept(rule.expr, rule.annotations);
  });
});

describe('examples/grafana/alerting/platform-faults.yaml', () => {
  it.each(grafana.map((rule) => [rule.uid, rule]))('%s: wired queries, valid LogQL, kept labels', (_uid, rule) => {
    const refIds = rule.data.map((d) => d.refId);
    expect(refIds).toContain(rule.condition);
    for (const step of rule.data) {
      if (step.datasourceUid === '__expr__') expect(refIds).toContain(step.model.expression);
      else {
        expect(checkLogql(step.model.expr ?? '', [])).toEqual([]);
        templateLabelsKept(step.model.expr ?? '', rule.annotations);
      }
    }
  });
});
