/**
 * Worst cases for the robustness issue: huge lines, lines packed with the fragments the
 * prefilters look for, and deeply nested JSON. A string body is scanned only up to
 * maxScanLength (16384), so a 1 MB or 10 MB line must cost about what a 16 KB one does.
 * None of these lines holds a platform code; verification checks that none is reported.
 */
import type { Sample } from '../corpus.ts';
import { enriched, type LogRecord, type Pipeline, toLogRecord } from '../pipelines.ts';
import { expectCodes, type Scenario } from '../scenario.ts';

const KB = 1024;
const MB = 1024 * KB;
const SCAN_LIMIT = 16 * KB;

/** `fragment` repeated to exactly `length` characters. */
const fill = (fragment: string, length: number): string =>
  fragment.repeat(Math.ceil(length / fragment.length)).slice(0, length);

const sizeName = (length: number): string =>
  length >= MB ? `${length / MB}MB` : `${(length / KB).toFixed(length % KB === 0 ? 0 : 1)}KB`;

/** Ordinary words: no recogniser's cheap test passes. */
const PLAIN = 'the quick brown fox jumps over the lazy dog while the scheduler retries ';
/** Fragments that pass one recogniser's cheap test and then fail its full check. */
const FRAGMENTS: Record<string, string> = {
  'code=': 'code=H12 ',
  '[P': '[PM05]x ',
  'Error R': 'Error R14 (Memory quota exceeded ',
  // Lower case: in text a reason counts only as Cloudflare writes it.
  failure_reason: '{"failure_reason":"tcp connection failed"} ',
  'proxy[': 'proxy[e2862692b79d68] sin [error] failed to connect\n',
};

/** Valid JSON nested `depth` levels deep, carrying the words that make Cloudflare parse it. */
function nestedJson(depth: number): string {
  return `${'{"success":false,"errors":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

/** An object body nested `depth` levels deep under the paths recognisers read. */
function nestedObject(depth: number): Record<string, unknown> {
  let inner: Record<string, unknown> = { message: 'done' };
  for (let i = 0; i < depth; i++) inner = { data: inner, result: [inner], message: 'still going' };
  return inner;
}

/**
 * The payload is built only while its scenario runs (setup/teardown), so tens of megabytes of
 * hostile input do not sit in the heap, and slow the GC, while other scenarios are measured.
 */
function adversarial(id: string, description: string, pipeline: Pipeline, make: () => Sample): Scenario {
  let record: LogRecord | undefined;
  const setup = () => {
    record = toLogRecord(make());
  };
  const teardown = () => {
    record = undefined;
  };
  return {
    id,
    description,
    recordsPerCall: 1,
    setup,
    teardown,
    run: () => pipeline.emit(record as LogRecord),
    verify: () => {
      expectCodes(pipeline, [make()], () => undefined, id);
    },
  };
}

const text = (length: number, fragment: string) => (): Sample => ({ body: fill(fragment, length) });

export function adversarialScenarios(): Scenario[] {
  const pipeline = enriched();
  const scenarios: Scenario[] = [];
  for (const length of [SCAN_LIMIT, MB, 10 * MB]) {
    const name = `plain-${sizeName(length)}`;
    scenarios.push(
      adversarial(`adversarial/${name}`, `ordinary text, ${sizeName(length)}`, pipeline, text(length, PLAIN)),
    );
  }
  for (const [name, fragment] of Object.entries(FRAGMENTS)) {
    for (const length of [SCAN_LIMIT, MB]) {
      const id = `adversarial/${name}-${sizeName(length)}`;
      scenarios.push(adversarial(id, `"${name}" repeated, ${sizeName(length)}`, pipeline, text(length, fragment)));
    }
  }
  const depth = 500;
  const jsonSize = sizeName(nestedJson(depth).length);
  return [
    ...scenarios,
    adversarial('adversarial/nested-json-text', `JSON nested ${depth} deep as text (${jsonSize})`, pipeline, () => ({
      body: nestedJson(depth),
    })),
    adversarial('adversarial/nested-object', 'object body nested 10000 deep', pipeline, () => ({
      body: nestedObject(10_000),
    })),
    adversarial('adversarial/huge-errors-array', 'API envelope with 1M errors', pipeline, () => ({
      body: { success: false, errors: Array.from({ length: 1_000_000 }, () => ({ code: 1, message: 'x' })) },
    })),
  ];
}
