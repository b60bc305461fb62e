/**
 * User catalogs are configuration, but they arrive from files and objects nobody checked: every
 * malformed or hostile one must end in a CatalogValidationError that names the file, the entry
 * and the field (or in a documented safe outcome), and the built-in catalog must keep working.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Catalog } from '../../src/core/catalog/Catalog.ts';
import { builtinCatalogFiles, loadCatalog } from '../../src/core/catalog/loadCatalog.ts';
import type { CatalogFile, CatalogSource } from '../../src/core/catalog/types.ts';
import { CatalogValidationError } from '../../src/core/catalog/validate.ts';
import { PlatformErrorProcessor } from '../../src/processor/PlatformErrorProcessor.ts';
import { Pipeline } from '../helpers/sdk.ts';

const dir = mkdtempSync(join(tmpdir(), 'ope-hostile-catalog-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const prototypeKeysAtStart = Object.getOwnPropertyNames(Object.prototype).sort();
const H12_URL = 'https://devcenter.heroku.com/articles/error-codes#h12-request-timeout';
const TEN_MB = 'a'.repeat(10 * 1024 * 1024);

/** The CatalogValidationError a load throws; fails the test on any other outcome. */
function rejectionOf(sources: unknown[]): CatalogValidationError {
  try {
    loadCatalog({ sources: sources as CatalogSource[] });
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogValidationError);
    return error as CatalogValidationError;
  }
  throw new Error('expected a CatalogValidationError');
}

/** A complete entry for a code of a new family, so that only the field under test can be wrong. */
function fullEntry(code: string, family: string): Record<string, unknown> {
  return {
    code,
    family,
    title: 'Test code',
    category: 'internal',
    summary: 'A test code.',
    remedy: 'None.',
    platform_fault: false,
    fault_reason: 'A test.',
    severity: 'error',
    lifecycle: 'current',
    remedy_url: 'https://example.com/codes#test',
    source_url: 'https://example.com/codes',
  };
}

describe('malformed catalog objects: the error names the source, the entry and the field', () => {
  const cases: Array<[string, unknown, string]> = [
    ['missing platform', { entries: [] }, 'catalog object #1: top level: field "platform": is required'],
    ['platform not a string', { platform: 42 }, 'top level: field "platform": must be string'],
    ['entries a string', { platform: 'heroku', entries: 'H12' }, 'top level: field "entries": must be array'],
    ['entries a map', { platform: 'heroku', entries: { H12: {} } }, 'top level: field "entries": must be array'],
    ['unknown top-level field', { platform: 'heroku', colour: 'red' }, 'field "colour": is not a known field'],
    [
      'unknown entry field',
      { platform: 'heroku', entries: [{ code: 'H12', remedy_link: 'https://example.com' }] },
      'entry #1 (code "H12"): field "remedy_link": is not a known field',
    ],
    [
      'boolean as a string',
      { platform: 'heroku', entries: [{ code: 'H12', platform_fault: 'yes' }] },
      'entry #1 (code "H12"): field "platform_fault": must be boolean',
    ],
    [
      'category outside the vocabulary',
      { platform: 'heroku', entries: [{ code: 'H12', category: 'bogus' }] },
      'entry #1 (code "H12"): field "category": must be one of timeout',
    ],
    ['code a number', { platform: 'heroku', entries: [{ code: 12 }] }, 'entry #1: field "code": must be string'],
    ['entry without code', { platform: 'heroku', entries: [{ title: 'x' }] }, 'entry #1: field "code": is required'],
    [
      'new code with only a code',
      { platform: 'heroku', entries: [{ code: 'X1' }] },
      'entry #1 (code "X1"): field "family": is required',
    ],
    [
      'unknown family',
      { platform: 'heroku', entries: [{ code: 'H12', family: 'Z' }] },
      'entry #1 (code "H12"): field "family": "Z" is not one of the file\'s families',
    ],
    [
      'invalid regular expression',
      { platform: 'heroku', families: [{ id: 'H', code_pattern: '^H([0-9]$' }] },
      'family #1: field "code_pattern": is not a valid regular expression',
    ],
    ['incomplete new platform', { platform: 'render', entries: [] }, 'top level: field "name": is required'],
    ['an array', [], 'catalog object #1: top level: must be object'],
    ['a number', 42, 'catalog object #1: top level: must be object'],
    ['null', null, 'catalog object #1: top level: must be object'],
    [
      'entries that are null',
      { platform: 'heroku', entries: [null, null] },
      'catalog object #1: entry #1: must be object',
    ],
  ];

  it.each(cases)('%s', (_name, source, problem) => {
    expect(rejectionOf([source]).problems).toContainEqual(expect.stringContaining(problem));
  });

  it('counts sources from 1, so the second object is named as such', () => {
    expect(rejectionOf([{ platform: 'heroku' }, { platform: 42 }]).message).toContain('catalog object #2');
  });

  it('an undefined source is rejected like null, not skipped: it is almost certainly a bug', () => {
    expect(rejectionOf([undefined as unknown as CatalogSource]).problems).toEqual([
      'catalog object #1: top level: must be object',
    ]);
  });
});

describe('malformed catalog files: the error names the file', () => {
  const cases: Array<[string, string, string, string]> = [
    ['empty file', 'empty.yaml', '', 'top level: must be object'],
    ['null document', 'null.yaml', '~\n', 'top level: must be object'],
    ['a scalar', 'scalar.yaml', 'hello\n', 'top level: must be object'],
    ['a list', 'list.yaml', '- platform: heroku\n', 'top level: must be object'],
    ['YAML syntax error', 'broken.yaml', 'platform: [heroku\n', 'cannot be read as YAML or JSON'],
    ['JSON with a wrong type', 'wrong.json', '{"platform": "heroku", "entries": 5}', 'field "entries": must be array'],
    [
      'wrong type in an entry',
      'entry.yaml',
      'platform: heroku\nentries:\n  - code: H12\n  - code: H10\n    severity: fatal\n',
      'entry #2 (code "H10"): field "severity": must be one of error, warning, info',
    ],
  ];

  it.each(cases)('%s', (_name, name, text, problem) => {
    const path = file(name, text);
    expect(rejectionOf([path]).problems).toContainEqual(
      expect.stringMatching(new RegExp(`^${escapeRegExp(path)}: .*${escapeRegExp(problem)}`)),
    );
  });

  it('a path that does not exist', () => {
    const path = join(dir, 'missing.yaml');
    expect(rejectionOf([path]).message).toContain(`${path}: not found`);
  });

  it('a YAML alias bomb is refused by the parser, not expanded', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const name of 'bcdefgh') {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const path = file('bomb.yaml', `${levels.join('\n')}\nplatform: heroku\n`);
    expect(rejectionOf([path]).message).toContain(`${path}: cannot be read as YAML or JSON`);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('duplicate codes', () => {
  it('twice in one file: named once, by the second entry', () => {
    const { problems } = rejectionOf([{ platform: 'heroku', entries: [{ code: 'H12' }, { code: 'H12' }] }]);
    expect(problems.filter((p) => p.includes('entry #2 (code "H12")'))).toEqual([
      'catalog object #1: entry #2 (code "H12"): duplicate code in this file',
    ]);
  });

  it('twice in a new platform: named once as well', () => {
    const source = {
      platform: 'render',
      name: 'Render',
      error_page: 'https://example.com/codes',
      anchor_rule: 'page',
      families: [{ id: 'D', name: 'deploy', fallback_category: 'crash', code_pattern: '^D[0-9]$' }],
      entries: [fullEntry('D1', 'D'), fullEntry('D1', 'D')],
    };
    expect(rejectionOf([source]).problems).toEqual([
      'catalog object #1: entry #2 (code "D1"): duplicate code in this file',
    ]);
  });

  it('once in each of two sources: the later source wins (documented order)', () => {
    const catalog = loadCatalog({
      sources: [
        { platform: 'heroku', entries: [{ code: 'H12', remedy_url: 'https://first.example.com/h12' }] },
        { platform: 'heroku', entries: [{ code: 'H12', remedy_url: 'https://second.example.com/h12' }] },
      ],
    });
    expect(catalog.get('heroku', 'H12')?.remedy_url).toBe('https://second.example.com/h12');
  });
});

describe('hostile values', () => {
  const tenMegabytes: Array<[string, unknown, string]> = [
    ['title', { platform: 'heroku', entries: [{ code: 'H12', title: TEN_MB }] }, 'field "title": must NOT have more'],
    ['summary', { platform: 'heroku', entries: [{ code: 'H12', summary: TEN_MB }] }, 'field "summary"'],
    [
      'remedy_url',
      { platform: 'heroku', entries: [{ code: 'H12', remedy_url: `https://${TEN_MB}` }] },
      'field "remedy_url"',
    ],
    ['message', { platform: 'heroku', entries: [{ code: 'H12', messages: [TEN_MB] }] }, 'field "messages.0"'],
    ['notes', { platform: 'heroku', notes: TEN_MB }, 'top level: field "notes"'],
    ['code_pattern', { platform: 'heroku', families: [{ id: 'H', code_pattern: TEN_MB }] }, 'field "code_pattern"'],
    ['code', { platform: 'heroku', entries: [{ code: TEN_MB }] }, 'field "code": does not match'],
  ];

  it.each(tenMegabytes)('a 10 MB %s is rejected, and the message stays readable', (_name, source, problem) => {
    const { message, problems } = rejectionOf([source]);
    expect(problems).toContainEqual(expect.stringContaining(problem));
    expect(message.length).toBeLessThan(2_000);
  });

  it('a 10 MB value in a YAML file is rejected and the file named', () => {
    const path = file('big.yaml', `platform: heroku\nentries:\n  - code: H12\n    title: ${TEN_MB}\n`);
    expect(rejectionOf([path]).message).toContain(`${path}: entry #1 (code "H12"): field "title"`);
  });

  const urls = [
    'javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'http://devcenter.heroku.com/articles/error-codes',
    '//devcenter.heroku.com/articles/error-codes',
    'https://exa mple.com/',
    'https://example.com/\njavascript:alert(1)',
    'https://user@evil.example.com/',
    'HTTPS://example.com/',
  ];
  describe.each(['remedy_url', 'source_url'])('%s', (field) => {
    it.each(urls)('%j is rejected', (url) => {
      expect(rejectionOf([{ platform: 'heroku', entries: [{ code: 'H12', [field]: url }] }]).problems).toEqual([
        `catalog object #1: entry #1 (code "H12"): field "${field}": must be an https:// URL`,
      ]);
    });
  });

  it.each(urls)('error_page %j is rejected', (url) => {
    expect(rejectionOf([{ platform: 'heroku', error_page: url }]).problems).toEqual([
      'catalog object #1: top level: field "error_page": must be an https:// URL',
    ]);
  });

  it.each(['H 12', 'H12\n', '\nH12', ' H12', 'H12\u0000', 'Н12', '', 'H12;DROP', '../H12'])(
    'code %j is rejected',
    (code) => {
      expect(rejectionOf([{ platform: 'heroku', entries: [{ code }] }]).problems).toContainEqual(
        expect.stringMatching(/entry #1[\s\S]*: field "code": does not match/),
      );
    },
  );

  it('a hostile code cannot forge problem lines: each problem stays on one line', () => {
    const code = 'H12")\ncatalog/heroku.yaml: entry #1 (code "H10"';
    const { problems } = rejectionOf([{ platform: 'heroku', entries: [{ code }] }]);
    expect(problems.filter((p) => p.includes('\n'))).toEqual([]);
  });
});

describe('catastrophic regular expressions', () => {
  /** A heroku family whose pattern backtracks exponentially on "aaaa…!". */
  const redosFamily: CatalogSource = {
    platform: 'heroku',
    families: [{ id: 'X', name: 'exponential', fallback_category: 'internal', code_pattern: '^(a+)+$' }],
  };

  it('a code_pattern with nested quantifiers is refused when the catalog loads', () => {
    expect(rejectionOf([redosFamily]).problems).toContainEqual(
      expect.stringMatching(/family #\d+: field "code_pattern"/),
    );
  });

  // Real codes are a few characters, so even a catastrophic pattern would be harmless if only
  // code-sized strings reached it. Records, though, carry codes in attributes and structured
  // bodies of any length. The hostile strings below start with "b", so the pattern fails at once
  // (no backtracking here); the test only looks at what reaches it.
  it('strings from records that reach a family pattern are no longer than a code may be (64)', () => {
    // The loader refuses this pattern (above), so build the catalog directly: this is the second line of defence.
    const catalog = new Catalog(
      builtinCatalogFiles().map((file) =>
        file.platform === 'heroku'
          ? { ...file, families: [...file.families, ...(redosFamily as CatalogFile).families] }
          : file,
      ),
    );
    const pipeline = new Pipeline({ catalog });
    const test = vi.spyOn(RegExp.prototype, 'test');
    try {
      const hostile = 'b'.repeat(10_000);
      pipeline.emit('hello', { 'heroku.error.code': hostile });
      pipeline.emit({ code: hostile, desc: 'Request timeout' });
      const reached = test.mock.contexts.flatMap((regex, i) =>
        (regex as RegExp).source === '^(a+)+$' ? [String(test.mock.calls[i]?.[0]).length] : [],
      );
      expect(Math.max(0, ...reached)).toBeLessThanOrEqual(64);
    } finally {
      test.mockRestore();
    }
  });

  // Each `{placeholder}` in a message becomes a bounded gap in a regular expression; k gaps let one
  // text be tried in up to 200^k ways. Matching must not depend on how many placeholders a user
  // writes: no pattern tried on a record's text may hold more than two such gaps.
  it('a message with many placeholders is not matched with a multiply-nested backtracking pattern', () => {
    const catalog = loadCatalog({
      sources: [
        { platform: 'fly', entries: [{ code: 'PC01', messages: ['connection to upstream {a}:{b}:{c}:{d} end'] }] },
      ],
    });
    const test = vi.spyOn(RegExp.prototype, 'test');
    try {
      catalog.getByMessage('fly', 'connection to upstream :::: end');
      const gaps = test.mock.contexts.map((regex) => (regex as RegExp).source.split('.{0,200}?').length - 1);
      expect(Math.max(0, ...gaps)).toBeLessThanOrEqual(2);
    } finally {
      test.mockRestore();
    }
  });
});

describe('prototype pollution attempts', () => {
  const yamlCases: Array<[string, string, string]> = [
    ['__proto__ at the top level', 'platform: heroku\n__proto__:\n  polluted: yes\n', 'top level: field "__proto__"'],
    [
      '__proto__ in an entry',
      'platform: heroku\nentries:\n  - code: H12\n    __proto__:\n      platform_fault: true\n',
      'entry #1 (code "H12"): field "__proto__"',
    ],
    [
      '__proto__ in a family',
      'platform: heroku\nfamilies:\n  - id: H\n    __proto__: { polluted: yes }\n',
      'family #1: field "__proto__"',
    ],
    [
      'constructor.prototype',
      'platform: heroku\nconstructor:\n  prototype:\n    polluted: yes\n',
      'top level: field "constructor"',
    ],
  ];

  it.each(yamlCases)('YAML: %s is an unknown field', (_name, text, problem) => {
    const path = file('proto.yaml', text);
    expect(rejectionOf([path]).problems).toContainEqual(`${path}: ${problem}: is not a known field`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('JSON: a __proto__ key is an unknown field', () => {
    const path = file('proto.json', '{"platform": "heroku", "__proto__": {"polluted": true}}');
    expect(rejectionOf([path]).problems).toContainEqual(`${path}: top level: field "__proto__": is not a known field`);
  });

  it('an object source with an own __proto__ key (as JSON.parse makes) is an unknown field', () => {
    const source = JSON.parse('{"platform": "heroku", "entries": [{"code": "H12", "__proto__": {"category": "x"}}]}');
    expect(rejectionOf([source]).problems).toContainEqual(
      'catalog object #1: entry #1 (code "H12"): field "__proto__": is not a known field',
    );
  });

  it('a family named __proto__ is just a name (documented safe outcome)', () => {
    const catalog = loadCatalog({
      sources: [
        {
          platform: 'heroku',
          families: [{ id: '__proto__', name: 'proto', fallback_category: 'internal', code_pattern: '^Q[0-9]$' }],
          entries: [fullEntry('Q1', '__proto__') as { code: string }],
        },
      ],
    });
    expect(catalog.get('heroku', 'Q1')?.family).toBe('__proto__');
    expect(catalog.resolve('heroku', 'Q2')).toMatchObject({ listed: false, category: 'internal' });
  });
});

describe('the built-in catalog afterwards', () => {
  it('is not changed through what a catalog hands out', () => {
    const catalog = loadCatalog();
    const family = catalog.platform('heroku')?.families[0];
    const entry = catalog.get('heroku', 'H12');
    const saved = { category: family?.fallback_category, url: entry?.remedy_url };
    try {
      Object.assign(family ?? {}, { fallback_category: 'bogus' });
      Object.assign(entry ?? {}, { remedy_url: 'javascript:alert(1)' });
    } catch {
      // Frozen data refusing the write is a fine outcome too.
    }
    const fresh = loadCatalog();
    const outcome = { fallback: fresh.resolve('heroku', 'H77')?.category, url: fresh.get('heroku', 'H12')?.remedy_url };
    if (!Object.isFrozen(family)) Object.assign(family ?? {}, { fallback_category: saved.category });
    if (!Object.isFrozen(entry)) Object.assign(entry ?? {}, { remedy_url: saved.url });
    expect(outcome).toEqual({ fallback: 'routing', url: H12_URL });
  });

  it('still loads and recognises, and Object.prototype is untouched', () => {
    const catalog = loadCatalog();
    expect(catalog.get('heroku', 'H12')?.remedy_url).toBe(H12_URL);
    expect(
      new Pipeline({ catalog }).emit('heroku[router]: at=error code=H12 desc="Request timeout"').attributes,
    ).toMatchObject({
      'error.type': 'H12',
      remedy_url: H12_URL,
    });
    expect(() => new PlatformErrorProcessor()).not.toThrow();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeysAtStart);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeysAtStart);
});
