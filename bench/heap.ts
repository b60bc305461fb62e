/**
 * Emits 10 million records through a LoggerProvider with the processor (the 5 % mix plus a
 * stream of distinct unlisted-but-well-formed codes, the one input that fills a cache) and samples
 * the heap after a full GC every million records. The heap must stay flat: nothing is kept per
 * record, and the only cache (fallback entries for unlisted codes) is capped.
 *
 *   node --expose-gc --experimental-strip-types bench/heap.ts [--records=10000000]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mixedStream, platformLines, type Sample } from './corpus.ts';
import { enriched, type LogRecord, toLogRecord } from './pipelines.ts';
import { expectCodes } from './scenario.ts';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '10000000' },
    out: { type: 'string', default: new URL('results/heap.json', import.meta.url).pathname },
  },
});
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc');
  process.exit(2);
}

const STEP = 1_000_000;
const MB = 1024 * 1024;

/** Router lines with R100…R999: well-formed, unlisted, so each is resolved to a fallback entry once. */
function unlistedCodeLines(): Sample[] {
  const router = platformLines.herokuRouter.body;
  return Array.from({ length: 900 }, (_, i) => ({ body: router.replace('code=H12', `code=R${100 + i}`) }));
}

/** The mix with one unlisted-code line after every 100 records. */
function stream(): LogRecord[] {
  const mix = mixedStream();
  const unlisted = unlistedCodeLines();
  const out: Sample[] = [];
  for (let i = 0; i < unlisted.length * 100; i++) {
    out.push(i % 100 === 99 ? (unlisted[(i / 100) | 0] as Sample) : (mix[i % mix.length] as Sample));
  }
  return out.map(toLogRecord);
}

function heapMb(): number {
  gc?.();
  return process.memoryUsage().heapUsed / MB;
}

const total = Number(args.records);
const records = stream();
const pipeline = enriched();
expectCodes(pipeline, unlistedCodeLines().slice(0, 1), () => 'R100', 'heap: unlisted code');
const samples: Array<{ records: number; heapUsedMb: number; seconds: number }> = [];
const started = performance.now();
samples.push({ records: 0, heapUsedMb: heapMb(), seconds: 0 });
process.stdout.write(`  0M records  heapUsed ${samples[0]?.heapUsedMb.toFixed(2)} MB (before the first emit)\n`);
for (let emitted = 0; emitted < total; ) {
  for (let i = 0; i < STEP; i++, emitted++) pipeline.emit(records[emitted % records.length] as LogRecord);
  samples.push({ records: emitted, heapUsedMb: heapMb(), seconds: (performance.now() - started) / 1000 });
  const last = samples[samples.length - 1];
  process.stdout.write(
    `${(emitted / 1e6).toFixed(0).padStart(3)}M records  heapUsed ${last?.heapUsedMb.toFixed(2)} MB\n`,
  );
}
const afterFirst = samples.slice(1).map((s) => s.heapUsedMb);
const growth = Math.max(...afterFirst) - Math.min(...afterFirst);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `after the first million: heapUsed varies by ${growth.toFixed(2)} MB over ${(total - STEP) / 1e6}M records; ` +
    `${Math.round(total / seconds).toLocaleString('en-US')} records/s (incl. GC samples)\n`,
);
writeFileSync(
  args.out,
  `${JSON.stringify({ node: process.version, records: total, samples, growthMb: growth }, null, 2)}\n`,
);
