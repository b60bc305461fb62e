import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/core/catalog/loadCatalog.ts';
import { CatalogValidationError } from '../../src/core/catalog/validate.ts';

const dir = mkdtempSync(join(tmpdir(), 'ope-catalog-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogValidationError);
    return [...(error as CatalogValidationError).problems];
  }
  throw new Error('expected a CatalogValidationError');
}

describe('user catalogs', () => {
  it('override only the fields they give', () => {
    const catalog = loadCatalog({
      sources: [{ platform: 'heroku', entries: [{ code: 'H12', remedy_url: 'https://runbooks.example.com/h12' }] }],
    });
    expect(catalog.get('heroku', 'H12')).toMatchObject({
      category: 'timeout',
      remedy_url: 'https://runbooks.example.com/h12',
    });
  });

  it('add codes and whole platforms', () => {
    const path = file(
      'render.yaml',
      `platform: render
name: Render
error_page: https://render.com/docs/troubleshooting-deploys
anchor_rule: heading
families: [{ id: D, name: deploy, fallback_category: crash, code_pattern: '^D[0-9]{2}$' }]
entries:
  - code: D01
    family: D
    title: Build failed
    category: crash
    summary: The build command exited non-zero.
    remedy: Read the build log.
    platform_fault: false
    fault_reason: A failing build is the app's.
    severity: error
    lifecycle: current
    remedy_url: https://render.com/docs/troubleshooting-deploys#build-failed
    source_url: https://render.com/docs/troubleshooting-deploys
`,
    );
    const catalog = loadCatalog({ sources: [path] });
    expect(catalog.platforms()).toEqual(['cloudflare', 'fly', 'heroku', 'render']);
    expect(catalog.resolve('render', 'D07')).toMatchObject({ listed: false, category: 'crash' });
  });

  it('are rejected with the file, the entry and the field named', () => {
    const path = file('bad.yaml', 'platform: heroku\nentries:\n  - code: H12\n    category: slow\n');
    const [problem, ...rest] = problemsOf(() => loadCatalog({ sources: [path] }));
    expect(rest).toEqual([]);
    expect(problem).toContain(path);
    expect(problem).toContain('entry #1 (code "H12")');
    expect(problem).toContain('field "category"');
    expect(problem).toContain('must be one of timeout, connection');
  });

  it('report missing fields of new entries, unknown fields, hostile URLs and duplicates', () => {
    const shape = file(
      'worse.yaml',
      `platform: heroku
entries:
  - code: H12
    remedy_url: "javascript:alert(1)"
  - code: H12
    colour: red
  - code: H13
    summary: ${'x'.repeat(100_000)}
`,
    );
    const incomplete = file('incomplete.yaml', 'platform: heroku\nentries:\n  - code: H45\n    title: Something new\n');
    const problems = problemsOf(() => loadCatalog({ sources: [shape, incomplete] })).join('\n');
    expect(problems).toContain('worse.yaml: entry #1 (code "H12"): field "remedy_url": must be an https:// URL');
    expect(problems).toContain('worse.yaml: entry #2 (code "H12"): field "colour": is not a known field');
    expect(problems).toContain('worse.yaml: entry #2 (code "H12"): duplicate code in this file');
    expect(problems).toContain(
      'worse.yaml: entry #3 (code "H13"): field "summary": must NOT have more than 240 characters',
    );
    expect(problems).toContain('incomplete.yaml: entry #1 (code "H45"): field "category": is required');
  });

  it('reject a file that is not YAML, naming it', () => {
    const path = file('broken.yaml', 'platform: [heroku\n');
    expect(problemsOf(() => loadCatalog({ sources: [path] }))[0]).toMatch(
      /broken\.yaml: cannot be read as YAML or JSON/,
    );
  });

  it('leave the built-in catalog working after a rejected one', () => {
    problemsOf(() =>
      loadCatalog({ sources: [{ platform: 'heroku', entries: [{ code: 'H12', severity: 'loud' as never }] }] }),
    );
    expect(loadCatalog().get('heroku', 'H12')?.severity).toBe('error');
  });
});
