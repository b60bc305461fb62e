/**
 * Every code of the three seed documents resolves through `explain` with the right platform,
 * family and fault. The codes come from the seeds' extracted facts (test/seeds/seeds.json), not typed here.
 */
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../src/core/catalog/types.ts';
import { runCli } from '../helpers/cli.ts';
import { seeds } from '../helpers/seeds.ts';

async function explainJson(...codes: string[]): Promise<CatalogEntry[]> {
  const { code, stdout, stderr } = await runCli('explain', '--json', ...codes);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as CatalogEntry[];
}

describe('Heroku seed (27 codes)', () => {
  const seed = seeds.heroku.codes;
  const faults = seeds.heroku.platform_faults;

  it('has the codes the issue counts', () => {
    expect(seed).toHaveLength(27);
    expect(faults.sort()).toEqual(['H99', 'R99']);
  });

  it.each(seed.map((s) => [s.code, s]))('%s resolves with its family and fault', async (code, { title }) => {
    const [entry, ...rest] = await explainJson(code);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ platform: 'heroku', code, family: code[0], listed: true });
    expect(entry?.platform_fault).toBe(faults.includes(code));
    // The seed is an older page: a changed title must be recorded as a known message or the old heading.
    const known = [entry?.title, entry?.heading, ...(entry?.messages ?? [])].join('|').toLowerCase();
    if (!known.includes(title.toLowerCase())) expect(entry?.notes ?? '').not.toBe('');
  });
});

describe('Fly.io seed (47 codes, an early draft of the page)', () => {
  const seed = seeds.fly.codes;

  it('has the codes the issue counts', () => {
    expect(seed).toHaveLength(47);
  });

  it.each(seed.map((s) => [s.code, s]))(
    '%s resolves with the family of its second letter',
    async (code, { internal }) => {
      const [entry] = await explainJson(code);
      expect(entry).toMatchObject({ platform: 'fly', code, family: code[1], listed: true });
      if (internal !== undefined) expect(entry?.platform_fault).toBe(internal);
    },
  );

  it('records the draft meaning wherever the current page renumbered a code', async () => {
    const renumbered = ['PT01', 'PT02', 'PM06', 'PM07', 'PM08', 'PM09', 'PM10', 'PM11', 'PM12', 'PM13'];
    const entries = await explainJson(...renumbered);
    for (const entry of entries) expect(entry.draft?.meaning, entry.code).toBeTruthy();
    const draftOnly = entries.filter((e) => e.lifecycle === 'draft-only').map((e) => e.code);
    expect(draftOnly.sort()).toEqual(['PM12', 'PM13']);
  });

  it('follows the current page, which real logs use', async () => {
    const [pm07, pm08] = await explainJson('PM07', 'PM08');
    expect(pm07?.title.toLowerCase()).toContain('state change');
    expect(pm08?.title.toLowerCase()).toContain('non-startable');
  });
});

describe('Cloudflare seed (21 failure reasons, API codes 1002 and 1006)', () => {
  const reasons = seeds.cloudflare.reasons;
  const apiCodes = seeds.cloudflare.api_examples;

  it('has the reasons and API codes the issue counts', () => {
    expect(reasons).toHaveLength(21);
    expect(apiCodes.map((a) => a.code).sort()).toEqual([1002, 1006]);
  });

  it.each(reasons.map((r) => [r.heading, r]))(
    '"%s" resolves by its slug and by its exact text',
    async (heading, { id }) => {
      const [bySlug] = await explainJson(id);
      const [byText] = await explainJson(heading);
      expect(bySlug).toMatchObject({ platform: 'cloudflare', code: id, title: heading, platform_fault: false });
      expect(byText?.code).toBe(id);
    },
  );

  it.each(apiCodes.map((a) => [a.code, a]))(
    'API code %s resolves to the entry of its heading',
    async (code, { heading }) => {
      const [entry] = await explainJson(String(code));
      expect(entry).toMatchObject({ platform: 'cloudflare', title: heading, family: 'api' });
      expect(entry?.api_error_codes).toContain(code);
    },
  );
});
