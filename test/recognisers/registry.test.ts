/**
 * One registry of platforms: every catalog platform has its recogniser, its fixture file and its
 * corpus file; and adding a platform takes exactly one catalog file, one recogniser and one
 * fixture file — shown by adding one from a temporary folder without touching the package.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagLogLevel } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/core/catalog/loadCatalog.ts';
import { recognisers } from '../../src/core/recognisers/index.ts';
import type { Recogniser } from '../../src/core/recognisers/types.ts';
import { PlatformErrorProcessor } from '../../src/processor/PlatformErrorProcessor.ts';
import { collectDiag } from '../helpers/diag.ts';
import { bodyOf, type FixtureFile, readFixtureFile } from '../helpers/fixtures.ts';
import { Pipeline } from '../helpers/sdk.ts';

const catalog = loadCatalog();
const warnings = collectDiag(DiagLogLevel.WARN);

describe('the platform registry', () => {
  it.each(catalog.platforms())('%s has a recogniser, a fixture file and a corpus file', (platform) => {
    expect(recognisers.filter((r) => r.platform === platform)).toHaveLength(1);
    expect(existsSync(new URL(`../fixtures/${platform}.yaml`, import.meta.url))).toBe(true);
    expect(existsSync(new URL(`../corpus/${platform}.jsonl`, import.meta.url))).toBe(true);
  });

  it('has no recogniser without a catalog platform', () => {
    expect(recognisers.map((r) => r.platform).filter((p) => !catalog.platforms().includes(p))).toEqual([]);
  });

  it('warns when a user catalog adds a platform no recogniser handles', () => {
    const orphan = {
      platform: 'orphan',
      name: 'Orphan',
      error_page: 'https://orphan.example.com/errors',
      anchor_rule: 'heading' as const,
      families: [{ id: 'O', name: 'O codes', fallback_category: 'internal' as const, code_pattern: '^O[0-9]{2}$' }],
      entries: [],
    };
    new PlatformErrorProcessor({ catalogs: [orphan] });
    expect(warnings.some((w) => w.includes('"orphan"') && w.includes('no recogniser'))).toBe(true);
  });
});

describe('adding a platform: one catalog file, one recogniser, one fixture file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ope-new-platform-'));
  const pipelines: Pipeline[] = [];
  afterAll(() => Promise.all(pipelines.map((p) => p.shutdown())));

  writeFileSync(
    join(dir, 'acme.yaml'),
    `platform: acme
name: Acme Cloud
error_page: https://docs.acme.example/errors
anchor_rule: heading
families:
  - id: A
    name: Acme edge errors
    fallback_category: connection
    code_pattern: "^AC[0-9]{3}$"
entries:
  - code: AC101
    family: A
    title: Upstream refused
    category: connection
    summary: The edge could not open a connection to the app.
    remedy: Make the app listen on the port the service declares.
    platform_fault: false
    fault_reason: The app did not accept the connection.
    severity: error
    lifecycle: current
    remedy_url: https://docs.acme.example/errors#ac101-upstream-refused
    source_url: https://docs.acme.example/errors
  - code: AC900
    family: A
    title: Edge fault
    category: internal
    summary: The edge failed on its own.
    remedy: Retry; Acme's status page tells more.
    platform_fault: true
    fault_reason: The page calls it an internal error.
    severity: error
    lifecycle: current
    remedy_url: https://docs.acme.example/errors#ac900-edge-fault
    source_url: https://docs.acme.example/errors
`,
  );
  writeFileSync(
    join(dir, 'acme-recogniser.mjs'),
    `// Acme prints "acme-edge: AC101 upstream refused".
export const acme = {
  platform: 'acme',
  providerNames: ['acme'],
  triggers: () => ({ patterns: ['AC[0-9]{3}'] }),
  recognise(view, catalog) {
    const code = /(?:^|\\s)acme-edge: (AC[0-9]{3})\\b/.exec(view.text ?? '')?.[1];
    return code !== undefined && catalog.resolve('acme', code) ? { platform: 'acme', code } : undefined;
  },
};
`,
  );
  writeFileSync(
    join(dir, 'acme-fixtures.yaml'),
    `platform: acme
positives:
  - name: listed code
    body: "2026-11-30T10:00:00Z acme-edge: AC101 upstream refused"
    expect: { code: AC101 }
  - name: platform fault
    body: "acme-edge: AC900 edge fault"
    expect: { code: AC900 }
  - name: unlisted code of the family
    body: "acme-edge: AC555 something new"
    expect: { code: AC555 }
negatives:
  - name: the code without Acme's framing
    body: "part AC101 is out of stock"
    why: a product number
`,
  );

  it('tags its fixtures through the real SDK, with the rest of the package untouched', async () => {
    const { acme } = (await import(pathToFileURL(join(dir, 'acme-recogniser.mjs')).href)) as { acme: Recogniser };
    const file: FixtureFile = readFixtureFile(join(dir, 'acme-fixtures.yaml'));
    const pipeline = new Pipeline({ catalogs: [join(dir, 'acme.yaml')], recognisers: [acme] });
    pipelines.push(pipeline);
    for (const f of file.positives) {
      expect(pipeline.emit(bodyOf(f)).attributes, f.name).toMatchObject({
        'error.type': f.expect?.code,
        platform: 'acme',
      });
    }
    for (const f of file.negatives) expect(pipeline.emit(bodyOf(f)).attributes, f.name).toEqual({});
    expect(pipeline.emit('acme-edge: AC900 edge fault').attributes.platform_fault).toBe(true);
    // The built-in platforms still work beside it.
    expect(pipeline.emit('heroku[web.1]: Error R14 (Memory quota exceeded)').attributes['error.type']).toBe('R14');
    expect(warnings.filter((w) => w.includes('acme'))).toEqual([]);
  });
});
