/**
 * The real-line corpus (test/corpus/<platform>.jsonl): lines nobody on this team wrote, copied
 * from public issue threads, committed log dumps, docs and forum posts, each with its source.
 * Every line goes through the real SDK as a log record's body. The figures are printed and held
 * to: precision 1.00, recall ≥ 0.98, exact code ≥ 0.98.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type CorpusLine, corpusFiles } from '../helpers/corpus.ts';
import { Pipeline } from '../helpers/sdk.ts';

const pipeline = new Pipeline();
const files = corpusFiles();
/** Lines tagged (rightly or not), positives found, positives found with the exact code, per platform. */
const tally = new Map<
  string,
  { positives: number; negatives: number; tagged: number; correct: number; found: number; exact: number }
>();

function count(platform: string) {
  let t = tally.get(platform);
  if (!t) {
    t = { positives: 0, negatives: 0, tagged: 0, correct: 0, found: 0, exact: 0 };
    tally.set(platform, t);
  }
  return t;
}

function run(line: CorpusLine) {
  return pipeline.emit(line.line).attributes;
}

describe('real-line corpus', () => {
  it('is large enough and carries its sources', () => {
    const all = files.flatMap((f) => f.lines);
    expect(all.length).toBeGreaterThanOrEqual(300);
    for (const l of all) expect(l.source, l.line).toMatch(/^(https?:\/\/|code-index file id )/);
    expect(new Set(all.map((l) => l.line)).size).toBe(all.length);
    for (const f of files) {
      expect(
        f.lines.some((l) => l.expect !== null),
        f.platform,
      ).toBe(true);
      expect(
        f.lines.some((l) => l.expect === null),
        f.platform,
      ).toBe(true);
    }
  });

  for (const file of files) {
    describe(file.platform, () => {
      const positives = file.lines.filter((l) => l.expect !== null);
      const negatives = file.lines.filter((l) => l.expect === null);

      it.each(positives.map((l) => [l.form, l.line.slice(0, 100), l] as const))('tags %s: %s', (_form, _text, l) => {
        const attributes = run(l);
        const t = count(file.platform);
        t.positives++;
        if (attributes['error.type'] !== undefined) t.tagged++;
        const rightPlatform = attributes.platform === file.platform;
        if (rightPlatform) t.found++;
        if (rightPlatform && attributes['error.type'] === l.expect) {
          t.exact++;
          t.correct++;
        }
        expect(attributes).toMatchObject({ 'error.type': l.expect, platform: file.platform });
        if (l.cause) expect(attributes['platform_error.cause']).toBe(l.cause);
      });

      it.each(negatives.map((l) => [l.form, l.line.slice(0, 100), l] as const))(
        'leaves alone %s: %s',
        (_form, _text, l) => {
          const attributes = run(l);
          const t = count(file.platform);
          t.negatives++;
          if (attributes['error.type'] !== undefined) t.tagged++;
          expect(attributes).toEqual({});
        },
      );
    });
  }
});

afterAll(async () => {
  const sum = { positives: 0, negatives: 0, tagged: 0, correct: 0, found: 0, exact: 0 };
  const rows: string[] = [];
  for (const [platform, t] of tally) {
    for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += t[k];
    rows.push(`  ${platform.padEnd(11)} ${figures(t)}`);
  }
  process.stdout.write(`\nreal-line corpus: ${figures(sum)}\n${rows.join('\n')}\n`);
  await pipeline.shutdown();
});

function figures(t: {
  positives: number;
  negatives: number;
  tagged: number;
  correct: number;
  found: number;
  exact: number;
}): string {
  const precision = t.tagged === 0 ? 1 : t.correct / t.tagged;
  return `${t.positives} positives, ${t.negatives} negatives; precision ${precision.toFixed(3)} recall ${(t.found / t.positives).toFixed(3)} exact code ${(t.exact / t.positives).toFixed(3)}`;
}
