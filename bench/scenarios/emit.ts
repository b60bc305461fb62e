/**
 * `logger.emit()` with and without the processor, side by side: each shape of ordinary output
 * next to a bare emit of the same record (the hot-path rows), each platform shape, the
 * five-attribute floor for a matching record, and a realistic 5 % mix.
 */
import {
  appLines,
  attributes10,
  expectedCodes,
  LONG_LENGTHS,
  longLine,
  mixedStream,
  platformLines,
  type Sample,
} from '../corpus.ts';
import { bare, enriched, floor, type Pipeline } from '../pipelines.ts';
import { emitLoop, expectCodes, type Scenario } from '../scenario.ts';

/** Records per timed call: enough that the timer's cost is well under 1 ns per record. */
const PER_CALL = 256;

const codeOfSample = new Map<Sample, string>(
  Object.entries(platformLines).map(([name, sample]) => [sample, expectedCodes[name as keyof typeof platformLines]]),
);
const expectedCodeOf = (sample: Sample): string | undefined => codeOfSample.get(sample);

function emitting(id: string, description: string, pipeline: Pipeline, samples: Sample[], check: boolean): Scenario {
  return {
    id,
    description,
    recordsPerCall: PER_CALL,
    run: emitLoop(pipeline, samples, PER_CALL),
    verify: () => (check ? expectCodes(pipeline, samples, expectedCodeOf, id) : undefined),
  };
}

/** A non-matching record twice: bare, and through the processor (which must leave it untouched). */
function pair(name: string, description: string, sample: Sample): Scenario[] {
  return [
    emitting(`emit/bare/${name}`, `bare logger.emit(), ${description}`, bare(), [sample], false),
    emitting(`emit/processor/${name}`, `processor, non-matching ${description}`, enriched(), [sample], true),
  ];
}

export function emitScenarios(): Scenario[] {
  const mix = mixedStream();
  return [
    ...pair('short64', `${appLines.short64.body.length} B line`, appLines.short64),
    ...pair('typical110', `${appLines.typical110.body.length} B line`, appLines.typical110),
    ...pair('struct8', '8-field structured body', appLines.struct8),
    ...pair('attributes10', 'short line with 10 attributes', attributes10),
    ...LONG_LENGTHS.flatMap((length) => pair(`long${length / 1024}k`, `${length} B line`, longLine(length))),
    ...(['long1k', 'jsonText', 'logfmt', 'appError'] as const).map((name) =>
      emitting(`emit/processor/app-${name}`, `processor, non-matching ${name}`, enriched(), [appLines[name]], true),
    ),
    emitting('emit/bare/mix', 'bare logger.emit(), the 5 % mix', bare(), mix, false),
    ...Object.entries(platformLines).map(([name, sample]) =>
      emitting(`emit/processor/${name}`, `processor, matching ${name}`, enriched(), [sample], true),
    ),
    emitting(
      'emit/processor/herokuRouter+fields',
      'processor with extractFields, router line',
      enriched({ extractFields: true }),
      [platformLines.herokuRouter],
      true,
    ),
    emitting(
      'emit/floor/herokuRouter',
      'floor: set the 5 attributes, no parsing',
      floor(),
      [platformLines.herokuRouter],
      true,
    ),
    emitting('emit/processor/mix', 'processor, the 5 % mix', enriched(), mix, true),
    // The `platforms` option: an app that runs on one platform needs only that recogniser.
    emitting(
      'emit/processor-heroku-only/typical110',
      "processor with platforms: ['heroku'], non-matching typical110",
      enriched({ platforms: ['heroku'] }),
      [appLines.typical110],
      true,
    ),
  ];
}
