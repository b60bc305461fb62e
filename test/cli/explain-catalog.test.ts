import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/core/catalog/loadCatalog.ts';
import { catalogMarkdown } from '../../src/core/catalog/markdown.ts';
import { runCli } from '../helpers/cli.ts';

const catalog = loadCatalog();

describe('explain', () => {
  it('says what a code means, whose fault it is, what to do, and links the docs', async () => {
    const { code, stdout } = await runCli('explain', 'H99');
    expect(code).toBe(0);
    expect(stdout).toContain('H99 · Heroku · Platform error');
    expect(stdout).toMatch(/platform fault\s+yes — Heroku's side/);
    expect(stdout).toContain('https://devcenter.heroku.com/articles/error-codes#h99-platform-error');
    expect(stdout).not.toContain('\u001b['); // not a TTY: no colours
  });

  it('accepts lower case, platform prefixes, API codes and failure-reason texts', async () => {
    const { code, stdout } = await runCli('explain', '--json', 'pc01', 'heroku:h12', '1006', 'TCP connection failed');
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Array<{ code: string }>).map((e) => e.code)).toEqual([
      'PC01',
      'H12',
      'exceeded-quota-error',
      'tcp-connection-failed',
    ]);
  });

  it('exits 1 with a helpful message for an unknown code', async () => {
    const { code, stdout, stderr } = await runCli('explain', 'Z99');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('"Z99" is not a code in the catalog');
    expect(stderr).toContain('otel-platform-errors catalog');
  });

  it('explains a well-formed unlisted code with its family defaults, and still exits 1', async () => {
    const { code, stdout, stderr } = await runCli('explain', 'H45');
    expect(code).toBe(1);
    expect(stdout).toContain('H45 · Heroku · Unlisted Heroku');
    expect(stderr).toContain('H45 is a well-formed heroku code but is not in the catalog');
  });

  it('uses user catalogs given with --catalog, and rejects invalid ones with exit 2', async () => {
    const bad = await runCli('explain', 'H12', '--catalog', '/nonexistent/catalog.yaml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/nonexistent/catalog.yaml: not found');
  });
});

describe('catalog', () => {
  it('--format json prints every entry with the fields tools need', async () => {
    const { code, stdout } = await runCli('catalog', '--format', 'json');
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(entries).toHaveLength(catalog.entries().length);
    for (const entry of entries) {
      for (const key of ['platform', 'code', 'category', 'platform_fault', 'remedy_url', 'title'])
        expect(entry).toHaveProperty(key);
    }
  });

  it('--platform limits the listing, --format md is the generated reference', async () => {
    const fly = JSON.parse((await runCli('catalog', '--platform', 'fly', '--format', 'json')).stdout) as Array<{
      platform: string;
    }>;
    expect(new Set(fly.map((e) => e.platform))).toEqual(new Set(['fly']));
    expect((await runCli('catalog', '--format', 'md')).stdout).toBe(`${catalogMarkdown(catalog)}\n`);
    expect((await runCli('catalog')).stdout.split('\n').length).toBeGreaterThan(100);
  });

  it('--format table (the default) starts with a header row', async () => {
    const [header, first] = (await runCli('catalog')).stdout.split('\n');
    expect(header?.split(/\s+/)).toEqual(['platform', 'code', 'category', 'title']);
    expect(first).toMatch(/^\S+\s+\S+\s+\S+\s+\S/);
  });

  it('answers an unknown option with one line of its own and exit 2', async () => {
    const { code, stderr } = await runCli('catalog', '--colour');
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('otel-platform-errors: unknown option --colour');
  });

  it('rejects unknown platforms and formats with exit 2', async () => {
    expect((await runCli('catalog', '--platform', 'vercel')).code).toBe(2);
    expect((await runCli('catalog', '--format', 'xml')).code).toBe(2);
    expect((await runCli('frobnicate')).code).toBe(2);
    expect((await runCli()).code).toBe(2);
    expect((await runCli('--help')).code).toBe(0);
  });
});
