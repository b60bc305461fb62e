/**
 * The pre-filter is sound: whatever the recognisers would match, it lets through. Checked over
 * the fixture set, the real-line corpus, and (per CI run) at least 100,000 generated and mutated
 * records — random records of every shape, and real lines with characters inserted, deleted and
 * changed, prefixes and suffixes added, and wrapped into the structured shapes shippers use.
 *   FC_RUNS=… sets the generated records per property (default 50,000; two properties).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Enricher } from '../../src/core/Enricher.ts';
import type { EnrichableLogRecord } from '../../src/core/record.ts';
import { corpusFiles } from '../helpers/corpus.ts';
import { bodyOf, fixtureFiles } from '../helpers/fixtures.ts';
import { anyRecord, catalog, type RecordInput } from './arbitraries.ts';

const RUNS = Number(process.env.FC_RUNS ?? 50_000);
const enricher = new Enricher({ catalog, extractFields: true });
let checked = 0;
let matched = 0;

function recordOf(input: { body: unknown; attributes?: Record<string, unknown>; resource?: Record<string, unknown> }) {
  return {
    body: input.body,
    attributes: input.attributes ?? {},
    resource: input.resource === undefined ? undefined : { attributes: input.resource },
    droppedAttributesCount: 0,
    setAttribute: () => undefined,
    setSeverityNumber: () => undefined,
    setSeverityText: () => undefined,
  } satisfies EnrichableLogRecord;
}

/** Fails with the record when the recognisers match it but the pre-filter rejects it. */
function expectSound(input: {
  body: unknown;
  attributes?: Record<string, unknown>;
  resource?: Record<string, unknown>;
}) {
  const record = recordOf(input);
  checked++;
  let full: ReturnType<Enricher['examineUnfiltered']>;
  try {
    full = enricher.examineUnfiltered(record);
  } catch {
    return; // A record a recogniser chokes on is the robustness suite's business, not the filter's.
  }
  if (full === undefined) return;
  matched++;
  if (!enricher.mayMatch(record)) {
    throw new Error(
      `the pre-filter rejects a record the recognisers match as ${full.recognition.code}: ${JSON.stringify(input)}`,
    );
  }
}

const realLines = [
  ...corpusFiles().flatMap((f) => f.lines.map((l) => l.line)),
  ...fixtureFiles().flatMap((f) =>
    [...f.positives, ...(f.message_only ?? []), ...f.negatives]
      .map(bodyOf)
      .filter((b): b is string => typeof b === 'string'),
  ),
];

/** A real line with a random edit: a character inserted, deleted or replaced, a prefix or suffix, a case change. */
const mutatedLine: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...realLines),
    fc.array(
      fc.tuple(
        fc.constantFrom('insert', 'delete', 'replace', 'prefix', 'suffix', 'upper', 'lower'),
        fc.nat(),
        fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom(' ', '"', '\\', '[', ']', ':', '=', '\n', '{', '}')),
      ),
      { maxLength: 3 },
    ),
  )
  .map(([line, edits]) =>
    edits.reduce((s, [kind, at, text]) => {
      const i = at % (s.length + 1);
      switch (kind) {
        case 'insert':
          return s.slice(0, i) + text + s.slice(i);
        case 'delete':
          return s.slice(0, i) + s.slice(i + 1);
        case 'replace':
          return s.slice(0, i) + text + s.slice(i + text.length);
        case 'prefix':
          return text + s;
        case 'suffix':
          return s + text;
        case 'upper':
          return s.toUpperCase();
        default:
          return s.toLowerCase();
      }
    }, line),
  );

/** A (mutated) real line as a text body, inside a shipper's structured body, or with Fly's or Heroku's fields beside it. */
const mutatedRecord = fc
  .tuple(mutatedLine, fc.nat(5))
  .map(([line, shape]): { body: unknown; attributes?: Record<string, unknown>; resource?: Record<string, unknown> } => {
    switch (shape) {
      case 0:
        return { body: { message: line, 'syslog.appname': 'heroku' } };
      case 1:
        return { body: line, attributes: { 'event.provider': 'proxy', 'fly.app.name': 'shop' } };
      case 2:
        return { body: line, resource: { 'cloud.provider': 'heroku' } };
      case 3:
        return { body: { msg: line, event: { provider: 'proxy' } } };
      default:
        return { body: line };
    }
  });

describe('pre-filter soundness', () => {
  it('lets through every fixture and corpus record the recognisers match', () => {
    for (const file of fixtureFiles()) {
      for (const f of [...file.positives, ...(file.message_only ?? []), ...file.negatives]) {
        expectSound({ body: bodyOf(f), attributes: f.attributes, resource: f.resource });
      }
    }
    for (const line of realLines) expectSound({ body: line });
    expect(matched).toBeGreaterThan(400);
  });

  it(`lets through every generated record the recognisers match (${RUNS} records)`, () => {
    fc.assert(
      fc.property(anyRecord, (input: RecordInput) => {
        expectSound(input);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it(`lets through every mutated real line the recognisers match (${RUNS} records)`, () => {
    fc.assert(
      fc.property(mutatedRecord, (input) => {
        expectSound(input);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

afterAll(() => {
  process.stdout.write(
    `\npre-filter soundness: ${checked} records checked, ${matched} of them matched by the recognisers\n`,
  );
});
