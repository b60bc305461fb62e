/**
 * `logger.emit()` with and without the processor: ordinary output (which must pass untouched),
 * each platform shape, the five-attribute floor and a realistic 5 % mix.
 */
import { appLines, expectedCodes, mixedStream, platformLines, type Sample } from '../corpus.ts';
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

export function emitScenarios(): Scenario[] {
  const mix = mixedStream();
  return [
    emitting('emit/bare/text', 'bare logger.emit(), string body', bare(), [appLines.typical150], false),
    emitting('emit/bare/object', 'bare logger.emit(), object body', bare(), [appLines.jsonObject], false),
    emitting('emit/bare/mix', 'bare logger.emit(), the 5 % mix', bare(), mix, false),
    ...Object.entries(appLines).map(([name, sample]) =>
      emitting(`emit/processor/app-${name}`, `processor, non-matching ${name}`, enriched(), [sample], true),
    ),
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
      'emit/processor-heroku-only/app-typical150',
      "processor with platforms: ['heroku'], non-matching typical150",
      enriched({ platforms: ['heroku'] }),
      [appLines.typical150],
      true,
    ),
    emitting(
      'emit/processor-heroku-only/herokuRouter',
      "processor with platforms: ['heroku'], router line",
      enriched({ platforms: ['heroku'] }),
      [platformLines.herokuRouter],
      true,
    ),
  ];
}
