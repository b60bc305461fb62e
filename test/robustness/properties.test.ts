/**
 * Property tests over generated records (test/robustness/arbitraries.ts): any Unicode, lone
 * surrogates, NUL, bytes, NaN/-0/Infinity, null/undefined, nested maps and arrays, hostile keys,
 * non-AnyValue objects, and lines and structured bodies built from real platform fragments.
 *
 * FC_RUNS sets the runs per property. The default, 20,000, gives 100,000 generated records (four
 * properties, the determinism one generating two records per run), about 30 s on 2 cores; the
 * count is printed at the end. The long run, 1,000,000 records:
 *   FC_RUNS=200000 npx vitest run --project otel3 test/robustness/properties.test.ts
 * A failure prints its seed and path; replay it with FC_SEED=<seed> FC_PATH=<path>.
 */

import { inspect, isDeepStrictEqual } from 'node:util';
import { DiagLogLevel } from '@opentelemetry/api';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../src/core/catalog/types.ts';
import { categoryIds } from '../../src/core/catalog/validate.ts';
import { isPlainObject } from '../../src/core/recognisers/fields.ts';
import { recognisers } from '../../src/core/recognisers/index.ts';
import type { Recogniser, RecordView } from '../../src/core/recognisers/types.ts';
import { PlatformErrorProcessor } from '../../src/processor/PlatformErrorProcessor.ts';
import type { PlatformErrorProcessorOptions } from '../../src/types.ts';
import { collectDiag } from '../helpers/diag.ts';
import {
  anyAttributes,
  anyBody,
  anyRecord,
  catalog,
  lineRecord,
  OUR_KEYS,
  platformObject,
  platformText,
  type RecordInput,
} from './arbitraries.ts';
import { exportedView, Harness, type Outcome, ownAttributes } from './harness.ts';

const RUNS = Number(process.env.FC_RUNS ?? 20_000);
const PARAMETERS: fc.Parameters<unknown> = {
  numRuns: RUNS,
  ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
  ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
};
/** Not a timing assertion: only a guard, generous enough for slow machines and long runs. */
const TIMEOUT = 120_000 + RUNS * 10;

const generated = { records: 0, recognised: new Map<string, number>() };

// ---------------------------------------------------------------- diag: internal failures show up here

/** The processor catches its own exceptions and reports them with diag.error; any such report fails. */
const failures = collectDiag(DiagLogLevel.ERROR);

function expectNoInternalFailure(): void {
  if (failures.length > 0) throw new Error(`diag.error: ${failures.join(' | ')}`);
}

// ---------------------------------------------------------------- pipelines

const processorFor =
  (options: PlatformErrorProcessorOptions) =>
  (exporting: LogRecordProcessor): LogRecordProcessor =>
    new PlatformErrorProcessor({ ...options, catalog, processors: [exporting] });

/** Option sets the order-free properties run under. */
const PROFILES: Record<string, PlatformErrorProcessorOptions> = {
  default: {},
  'fields and severity': { extractFields: true, adjustSeverity: true },
  overwrite: { overwrite: true, extractFields: true },
  'renamed keys': { attributes: { code: 'heroku.error.code', platform: 'cloud.provider', remedyUrl: null } },
  'two platforms, tiny scan': { platforms: ['fly', 'cloudflare'], maxScanLength: 64 },
};
const profileName = fc.constantFrom(...Object.keys(PROFILES));

const once = new Map(Object.entries(PROFILES).map(([name, options]) => [name, new Harness(processorFor(options))]));
/** The same processor twice in a row: the second one sees records the first already enriched. */
const twice = new Map(
  Object.entries(PROFILES).map(([name, options]) => [
    name,
    new Harness((exporting) => processorFor(options)(processorFor(options)(exporting))),
  ]),
);
const harness = (pool: Map<string, Harness>, name: string) => pool.get(name) as Harness;

// ---------------------------------------------------------------- what may be written

/** The values one catalog entry (or a family's fallback) gives the five core keys. */
interface Candidate {
  'error.type'?: string;
  platform: string;
  category: string;
  platform_fault: boolean;
  remedy_url: string;
  listed: boolean;
}

const fromEntry = (e: CatalogEntry): Candidate => ({
  'error.type': e.code,
  platform: e.platform,
  category: e.category,
  platform_fault: e.platform_fault,
  remedy_url: e.remedy_url,
  listed: e.listed,
});

/** Fallback entries without a code: what an unlisted but well-formed code of each family gets. */
const fallbacks: Candidate[] = catalog.platforms().flatMap((platform) => {
  const file = catalog.platform(platform);
  return (file?.families ?? []).map((family) => ({
    platform,
    category: family.fallback_category,
    platform_fault: false,
    remedy_url: family.remedy_url ?? file?.error_page ?? '',
    listed: false,
  }));
});

const everyCandidate = [...catalog.entries().map(fromEntry), ...fallbacks];

/** Entries whose values the written attributes may come from. */
function candidatesFor(written: Map<string, unknown>): Candidate[] {
  const code = written.get('error.type');
  if (typeof code !== 'string') return code === undefined ? everyCandidate : [];
  return (
    catalog
      .platforms()
      .map((platform) => catalog.resolve(platform, code))
      .filter((entry): entry is CatalogEntry => entry !== undefined)
      // The code as printed: an API code (1006) means what the entry it maps to says.
      .map((entry) => ({ ...fromEntry(entry), 'error.type': code }))
  );
}

const CORE_KEYS = ['error.type', 'platform', 'category', 'platform_fault', 'remedy_url'] as const;

/** Problems with what the processor added to a record (empty when it added nothing or only catalog values). */
function problemsWithWritten(outcome: Outcome): string[] {
  const after = ownAttributes(outcome.record);
  const written = new Map([...after].filter(([key]) => !outcome.before.has(key)));
  if (written.size === 0) return [];
  const problems: string[] = [];
  const foreign = [...written.keys()].filter((key) => !(OUR_KEYS as readonly string[]).includes(key));
  if (foreign.length > 0) problems.push(`unexpected keys ${JSON.stringify(foreign)}`);
  // All or nothing. "Had" includes inherited keys: a `__proto__` attribute is covered by its own test.
  const had = (key: string) => key in outcome.record.attributes && !written.has(key);
  const missing = CORE_KEYS.filter((key) => !written.has(key) && !had(key));
  if (missing.length > 0) problems.push(`missing ${missing.join(', ')}`);
  const listedWritten = written.get('platform_error.listed');
  if (listedWritten !== undefined && listedWritten !== false)
    problems.push(`platform_error.listed ${inspect(listedWritten)}`);
  // An unlisted code is flagged listed=false (unless the record had that key); a listed one never is.
  const flagsAgree = (c: Candidate) =>
    c.listed ? listedWritten === undefined : listedWritten === false || had('platform_error.listed');
  const match = candidatesFor(written).find(
    (c) =>
      flagsAgree(c) &&
      CORE_KEYS.every((key) => !written.has(key) || c[key] === undefined || Object.is(written.get(key), c[key])),
  );
  if (!match) problems.push(`no catalog entry has ${inspect(Object.fromEntries(written))}`);
  const cause = written.get('platform_error.cause');
  if (cause !== undefined && (typeof cause !== 'string' || !/^P[A-Z][0-9]{2}$/.test(cause))) {
    problems.push(`cause ${inspect(cause)}`);
  }
  const url = written.get('remedy_url');
  if (url !== undefined && !(typeof url === 'string' && URL.canParse(url) && new URL(url).protocol === 'https:')) {
    problems.push(`remedy_url ${inspect(url)}`);
  }
  const category = written.get('category');
  if (category !== undefined && !categoryIds.includes(category as string))
    problems.push(`category ${inspect(category)}`);
  return problems;
}

/** Keys the record had whose value is no longer the very same value. */
function changedKeys(outcome: Outcome): string[] {
  const after = ownAttributes(outcome.record);
  return [...outcome.before]
    .filter(([key, value]) => !after.has(key) || !Object.is(after.get(key), value))
    .map(([k]) => k);
}

/** A complete rendering of a value: equal renderings mean equal structure and values. */
const printed = (value: unknown) =>
  inspect(value, {
    depth: Number.POSITIVE_INFINITY,
    maxArrayLength: Number.POSITIVE_INFINITY,
    maxStringLength: Number.POSITIVE_INFINITY,
    getters: false,
  });

/**
 * Deep equality by rendering: vitest's toStrictEqual is fooled by an own `constructor` key, and
 * isDeepStrictEqual by the fresh prototype objects the SDK makes from `__proto__` keys.
 */
function expectSame(actual: unknown, expected: unknown): void {
  const [a, b] = [printed(actual), printed(expected)];
  if (a !== b) throw new Error(`${a}\n!==\n${b}`);
}

function count(outcome: Outcome): void {
  generated.records++;
  const platform = ownAttributes(outcome.record).get('platform');
  if (typeof platform === 'string' && !outcome.before.has('platform')) {
    generated.recognised.set(platform, (generated.recognised.get(platform) ?? 0) + 1);
  }
}

// ---------------------------------------------------------------- the processor through the SDK

// The SDK properties are async although nothing in them waits: SimpleLogRecordProcessor settles
// each export in promise callbacks that hold the record until the run yields, and a synchronous
// loop of 200,000 runs kept gigabytes alive.

describe('PlatformErrorProcessor through the SDK, with default options', () => {
  const pipeline = harness(once, 'default');

  it(
    'never throws or fails inside, keeps every attribute and the body, writes only catalog values',
    async () => {
      await fc.assert(
        fc.asyncProperty(anyRecord, async (input: RecordInput) => {
          // Strings cannot change; anything else is compared by a full rendering.
          const bodyBefore = typeof input.body === 'string' ? input.body : printed(input.body);
          const outcome = pipeline.emit(input);
          count(outcome);
          expectNoInternalFailure();
          const changed = changedKeys(outcome).map((key) => `changed ${key}`);
          const body =
            Object.is(outcome.record.body, input.body) &&
            (typeof input.body === 'string' || printed(outcome.record.body) === bodyBefore);
          expect([...changed, ...(body ? [] : ['changed the body']), ...problemsWithWritten(outcome)]).toEqual([]);
        }),
        PARAMETERS,
      );
    },
    TIMEOUT,
  );
});

describe('PlatformErrorProcessor through the SDK, under every option profile', () => {
  it(
    'is deterministic: the same record gives the same result, whatever came before it',
    async () => {
      await fc.assert(
        fc.asyncProperty(profileName, anyRecord, lineRecord, async (name, input, other) => {
          const pipeline = harness(once, name);
          const first = exportedView(pipeline.emit(input).record);
          count(pipeline.emit(other));
          const outcome = pipeline.emit(input);
          count(outcome);
          expectNoInternalFailure();
          expectSame(exportedView(outcome.record), first);
        }),
        PARAMETERS,
      );
    },
    TIMEOUT,
  );

  it(
    'is idempotent: a second processor in front of the same record changes nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(profileName, anyRecord, async (name, input) => {
          const single = harness(once, name).emit(input);
          const double = harness(twice, name).emit(input);
          count(double);
          expectNoInternalFailure();
          expectSame(exportedView(double.record), exportedView(single.record));
        }),
        PARAMETERS,
      );
    },
    TIMEOUT,
  );
});

// ---------------------------------------------------------------- the recognisers directly

/** A view the way the processor builds one, from a generated body and raw (not SDK-cleaned) attributes. */
const anyView: fc.Arbitrary<RecordView> = fc
  .record({
    body: fc.oneof(platformText, platformObject, anyBody),
    attributes: anyAttributes,
    hint: fc.constantFrom(undefined, 'heroku', 'fly', 'cloudflare', 'aws'),
    wantFields: fc.boolean(),
  })
  .map(({ body, attributes, hint, wantFields }) => ({
    text: typeof body === 'string' ? body.slice(0, 16_384) : undefined,
    object: typeof body !== 'string' && isPlainObject(body) ? body : undefined,
    attributes,
    hint,
    wantFields,
    maxScan: 16_384,
  }));

function problemsWithRecognition(recogniser: Recogniser, view: RecordView): string[] {
  const found = recogniser.recognise(view, catalog);
  const again = recogniser.recognise(view, catalog);
  const problems = isDeepStrictEqual(again, found) ? [] : [`answered ${printed(found)}, then ${printed(again)}`];
  if (found === undefined) return problems;
  const { platform, code, cause, fields } = found;
  if (platform !== recogniser.platform) problems.push(`${recogniser.platform} answered for ${platform}`);
  if (catalog.resolve(platform, code) === undefined) problems.push(`${code} is not in the catalog`);
  if (cause !== undefined && !/^P[A-Z][0-9]{2}$/.test(cause)) problems.push(`cause ${inspect(cause)}`);
  if (fields !== undefined && !view.wantFields) problems.push('fields nobody asked for');
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (typeof value !== 'string' && !Number.isFinite(value)) problems.push(`field ${key}=${inspect(value)}`);
  }
  return problems.map((problem) => `${recogniser.platform}: ${problem}`);
}

describe('recognisers, called directly', () => {
  it(
    'never throw, answer the same twice, and return only codes the catalog resolves',
    () => {
      fc.assert(
        fc.property(anyView, (view) => {
          generated.records++;
          expect(recognisers.flatMap((recogniser) => problemsWithRecognition(recogniser, view))).toEqual([]);
        }),
        PARAMETERS,
      );
    },
    TIMEOUT,
  );
});

afterAll(() => {
  const recognised = [...generated.recognised].map(([platform, n]) => `${platform} ${n}`).join(', ');
  process.stdout.write(
    `\nrobustness properties: ${generated.records} generated records (${RUNS} runs per property); ` +
      `recognised through the SDK: ${recognised || 'none'}\n`,
  );
});
