/** What a benchmark scenario is, and the loop every emitting scenario shares. */
import type { Sample } from './corpus.ts';
import { type LogRecord, type Pipeline, toLogRecord } from './pipelines.ts';

export interface Scenario {
  /** Unique and stable: `group/pipeline/input`; results and ratios refer to it. */
  id: string;
  /** One line for the table. */
  description: string;
  /** Records one call of `run` emits; timings are divided by it. */
  recordsPerCall: number;
  run: () => void | Promise<void>;
  /** Builds what `run` needs just before the scenario is timed (e.g. a 10 MB line)… */
  setup?: () => void;
  /** …and drops it afterwards, so it does not weigh on other scenarios' GC. */
  teardown?: () => void;
  /** Throws when the scenario does not do what its description says (checked before any timing). */
  verify: () => void | Promise<void>;
}

/**
 * A tight loop that emits `perCall` records per call, cycling through the samples. Many records
 * per call keep the timer's own cost (tens of ns) out of the per-record figure.
 */
export function emitLoop(pipeline: Pipeline, samples: readonly Sample[], perCall: number): () => void {
  const records = samples.map(toLogRecord);
  let next = 0;
  return () => {
    for (let i = 0; i < perCall; i++) {
      pipeline.emit(records[next] as LogRecord);
      next = next + 1 === records.length ? 0 : next + 1;
    }
  };
}

/**
 * Emits each sample once and checks the code the pipeline attached (`error.type`), so a scenario
 * labelled "matching" really matches and a "non-matching" one really passes through.
 */
export function expectCodes(
  pipeline: Pipeline,
  samples: readonly Sample[],
  expected: (sample: Sample) => string | undefined,
  id: string,
): void {
  for (const sample of samples) {
    pipeline.emit(toLogRecord(sample));
    const got = pipeline.sink.last?.attributes['error.type'];
    const want = expected(sample);
    if (got !== want) throw new Error(`${id}: expected error.type ${String(want)}, got ${String(got)}`);
  }
}
