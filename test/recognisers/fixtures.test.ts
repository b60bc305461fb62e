/**
 * The fixture set (test/fixtures/<platform>.yaml): real-looking positives in every framing, and
 * look-alikes that must stay untouched. Precision and recall over all of it are printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { bodyOf, type Fixture, fixtureFiles } from '../helpers/fixtures.ts';
import { Pipeline } from '../helpers/sdk.ts';

const pipeline = new Pipeline({ extractFields: true });
/** Positives that got their code, or not; negatives left alone, or tagged; positives tagged with a wrong code. */
const tally = { truePositive: 0, falseNegative: 0, trueNegative: 0, falsePositive: 0, wrongCode: 0 };

function run(f: Fixture) {
  return pipeline.emit(bodyOf(f), f.attributes, f.resource).attributes;
}

for (const file of fixtureFiles()) {
  describe(`${file.platform} fixtures`, () => {
    const positives = [...file.positives, ...(file.message_only ?? [])];

    it.each(positives.map((f) => [f.name, f] as const))('tags: %s', (_name, f) => {
      const attributes = run(f);
      const ok = attributes['error.type'] === f.expect?.code && attributes.platform === file.platform;
      tally[ok ? 'truePositive' : 'falseNegative']++;
      if (!ok && attributes['error.type'] !== undefined) tally.wrongCode++;
      expect(attributes).toMatchObject({ 'error.type': f.expect?.code, platform: file.platform });
      if (f.expect?.cause) expect(attributes['platform_error.cause']).toBe(f.expect.cause);
      if (f.expect?.fields) expect(attributes).toMatchObject(f.expect.fields);
    });

    it.each(file.negatives.map((f) => [f.name, f] as const))('leaves alone: %s', (_name, f) => {
      const attributes = run(f);
      const added = Object.keys(attributes).filter((k) => !(k in (f.attributes ?? {})));
      tally[added.length === 0 ? 'trueNegative' : 'falsePositive']++;
      expect(added, f.why).toEqual([]);
    });
  });
}

afterAll(async () => {
  const { truePositive: tp, falseNegative: fn, trueNegative: tn, wrongCode } = tally;
  const fp = tally.falsePositive + wrongCode;
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  process.stdout.write(
    `\nfixture set: ${tp + fn} positives, ${tn + tally.falsePositive} look-alikes; ` +
      `TP ${tp} FN ${fn} FP ${fp} TN ${tn}; precision ${precision.toFixed(3)} recall ${recall.toFixed(3)}\n`,
  );
  await pipeline.shutdown();
});
