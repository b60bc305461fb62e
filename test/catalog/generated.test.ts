import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles, splice } from '../../scripts/generate.ts';

const read = (path: string) => readFileSync(path, 'utf8');

/** The paths whose content differs from what `npm run generate` would write. */
function stale(files: Record<string, string>, readFile = read): string[] {
  return Object.entries(files)
    .filter(([path, expected]) => readFile(path) !== expected)
    .map(([path]) => path);
}

describe('generated artefacts', () => {
  it.each(Object.entries(generatedFiles()))('%s is up to date (run `npm run generate`)', (path, expected) => {
    expect(read(path)).toBe(expected);
  });

  it('the README category table is filled in', () => {
    const table = read('README.md').split('<!-- categories:start -->')[1]?.split('<!-- categories:end -->')[0] ?? '';
    expect(table).toMatch(/\| `timeout` \|/);
    expect(table.split('\n').filter((l) => l.startsWith('| `')).length).toBeGreaterThanOrEqual(10);
  });

  it('the README platform table counts every platform of the catalog', () => {
    const table = read('README.md').split('<!-- platforms:start -->')[1]?.split('<!-- platforms:end -->')[0] ?? '';
    for (const name of ['Heroku', 'Fly.io', 'Cloudflare'])
      expect(table).toMatch(new RegExp(`\\| ${name} \\| [0-9]+ \\|`));
  });

  it.each(['categories', 'platforms'])('notices an emptied %s table (the check can fail)', (name) => {
    const emptied = read('README.md').replace(
      new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`),
      `<!-- ${name}:start -->\n<!-- ${name}:end -->`,
    );
    expect(emptied).not.toBe(read('README.md'));
    const readStale = (path: string) => (path === 'README.md' ? emptied : read(path));
    expect(stale(generatedFiles(readStale), readStale)).toEqual(['README.md']);
  });
});

describe('splice', () => {
  it('replaces what lies between adjacent markers', () => {
    expect(splice('a\n<!-- t:start -->\n<!-- t:end -->\nb', 't', 'X', 'f')).toBe(
      'a\n<!-- t:start -->\nX\n<!-- t:end -->\nb',
    );
  });

  it.each([
    ['no markers', 'text', 'f needs the markers'],
    ['only a start', '<!-- t:start -->', 'f needs the markers'],
    ['twice', '<!-- t:start --><!-- t:end --><!-- t:start --><!-- t:end -->', 'more than once'],
    ['misordered', '<!-- t:end --><!-- t:start -->', 'before'],
  ])('fails on %s', (_name, text, message) => {
    expect(() => splice(text, 't', 'X', 'f')).toThrow(message);
  });
});
