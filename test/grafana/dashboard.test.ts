import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLogql, INDEX_LABELS } from './logql.ts';

interface Target {
  refId: string;
  expr?: string;
  queryType?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos?: { h: number; w: number; x: number; y: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  fieldConfig?: { overrides?: Array<{ properties: Array<{ id: string; value: unknown }> }> };
}
interface Variable {
  name: string;
  type: string;
  query?: unknown;
  datasource?: { type?: string; uid?: string };
  includeAll?: boolean;
  allValue?: string | null;
}

const dashboard = JSON.parse(readFileSync('examples/grafana/platform-errors-dashboard.json', 'utf8')) as {
  uid: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
};
const { panels } = dashboard;
const variables = dashboard.templating.list;
const variableNames = variables.map((v) => v.name);
const targets = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));

/** The label names a metric query groups by (`by (…)`). */
const groupedBy = (expr: string): string[] =>
  [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(',').map((s) => s.trim()));

describe('examples/grafana/platform-errors-dashboard.json', () => {
  it('is a current dashboard model with a uid', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
  });

  it('selects its Loki data source through a datasource variable that every panel and target uses', () => {
    const datasource = variables.find((v) => v.type === 'datasource');
    expect(datasource?.query).toBe('loki');
    const ref = { type: 'loki', uid: `\${${datasource?.name}}` };
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual(ref);
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.datasource, panel.title).toEqual(ref);
    }
  });

  it('has a service variable over an index label and custom platform and code variables', () => {
    const byName = new Map(variables.map((v) => [v.name, v]));
    const service = byName.get('service');
    expect(service?.type).toBe('query');
    const label = /^label_values\((\w+)\)$/.exec(String(service?.query))?.[1];
    expect(INDEX_LABELS).toContain(label);
    for (const name of ['platform', 'code']) {
      expect(byName.get(name)?.type, name).toBe('custom');
      expect(String(byName.get(name)?.query).split(',').length, name).toBeGreaterThan(1);
    }
  });

  it.each(targets.map(({ panel, target }) => [`${panel.title} ${target.refId}`, target.expr ?? '']))(
    'query of %s is LogQL over our labels and defined variables',
    (_name, expr) => {
      expect(checkLogql(expr, variableNames)).toEqual([]);
    },
  );

  it('filters every query by each catalog variable, so the selectors apply to all panels', () => {
    for (const { panel, target } of targets) {
      for (const filter of ['$service', '$platform', '$code'])
        expect(target.expr, `${panel.title}: ${filter}`).toContain(filter);
    }
  });

  it('uses metric queries with a range in its graphs and a plain log query in its logs panel', () => {
    for (const { panel, target } of targets) {
      const metric = /^\w+(\s+by\s*\([^)]*\))?\s*\(/.test(target.expr ?? '');
      expect(metric, panel.title).toBe(panel.type !== 'logs');
      if (metric) expect(target.expr, panel.title).toMatch(/\[\$__(range|interval|auto|rate_interval)\]/);
    }
  });

  it('has a time series by platform, category and fault, a top-codes table with remedy links, and a logs panel', () => {
    const series = panels.find((p) => p.type === 'timeseries');
    expect(groupedBy(series?.targets?.[0]?.expr ?? '').sort()).toEqual(['category', 'platform', 'platform_fault']);
    const table = panels.find((p) => p.type === 'table');
    const expr = table?.targets?.[0]?.expr ?? '';
    expect(expr).toMatch(/^topk\(/);
    const links = (table?.fieldConfig?.overrides ?? [])
      .flatMap((o) => o.properties)
      .filter((p) => p.id === 'links')
      .flatMap((p) => p.value as Array<{ url: string }>);
    const remedyLink = ['$', '{__data.fields.remedy_url}'].join(''); // Grafana's syntax, not a JS template
    expect(links.map((l) => l.url)).toContain(remedyLink);
    // A data link can only use fields the query returns, i.e. labels it groups by.
    const linked = links.flatMap((l) => [...JSON.stringify(l).matchAll(/__data\.fields\.(\w+)/g)].map((m) => m[1]));
    for (const field of linked) expect(groupedBy(expr)).toContain(field);
    expect(panels.some((p) => p.type === 'logs')).toBe(true);
  });

  it('has unique panel ids and a 24-column layout without overlaps, logs at the bottom', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const boxes = panels.map((p) => ({ title: p.title, ...(p.gridPos as NonNullable<Panel['gridPos']>) }));
    for (const box of boxes) {
      expect([box.h, box.w, box.x, box.y].every(Number.isInteger), box.title).toBe(true);
      expect(box.x + box.w, box.title).toBeLessThanOrEqual(24);
      expect(box.h, box.title).toBeGreaterThan(0);
    }
    boxes.forEach((a, i) => {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${a.title} / ${b.title}`).toBe(false);
      }
    });
    const logs = boxes[panels.findIndex((p) => p.type === 'logs')];
    expect(logs?.y).toBe(Math.max(...boxes.map((b) => b.y)));
  });
});
