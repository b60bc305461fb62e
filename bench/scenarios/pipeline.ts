/**
 * The whole export path an application pays for: emit → (processor) → BatchLogRecordProcessor →
 * OTLP protobuf serialisation, on the 5 % mix. One call emits one default-size batch (512) and
 * waits until it is serialised, so no record is dropped and every record is really encoded.
 */
import { expectedCodes, mixedStream, platformLines } from '../corpus.ts';
import {
  entryOfCode,
  type FullPipeline,
  type FullPipelineKind,
  fullPipeline,
  type LogRecord,
  toLogRecord,
} from '../pipelines.ts';
import type { Scenario } from '../scenario.ts';

const BATCH = 512;

function batchLoop(pipeline: FullPipeline, records: readonly LogRecord[]): () => Promise<void> {
  let next = 0;
  return async () => {
    for (let i = 0; i < BATCH; i++) {
      pipeline.emit(records[next] as LogRecord);
      next = next + 1 === records.length ? 0 : next + 1;
    }
    await pipeline.flush();
  };
}

/** One batch must reach the exporter whole; with the processor, 5 % of it enriched. */
async function verifyBatch(pipeline: FullPipeline, run: () => Promise<void>, enriching: boolean, id: string) {
  const { exporter } = pipeline;
  const before = exporter.records;
  exporter.countEnriched = true;
  exporter.enriched = 0;
  await run();
  exporter.countEnriched = false;
  const exported = exporter.records - before;
  const wantEnriched = enriching ? Math.round(BATCH / 20) : 0;
  if (exported !== BATCH || exporter.bytes === 0) throw new Error(`${id}: ${exported} of ${BATCH} records serialised`);
  if (Math.abs(exporter.enriched - wantEnriched) > 1) {
    throw new Error(`${id}: ${exporter.enriched} records enriched, expected about ${wantEnriched}`);
  }
}

/** The platform samples' bodies and the entries their codes have, for the attribute-only floor. */
const platformRecords = new Map(
  Object.entries(platformLines).map(([name, sample]) => [
    sample.body,
    entryOfCode(expectedCodes[name as keyof typeof platformLines]),
  ]),
);

const WHAT: Record<FullPipelineKind, string> = {
  bare: '',
  floor: 'attribute-only floor → ',
  processor: 'processor → ',
};

function fullScenario(kind: FullPipelineKind): Scenario {
  const id = `pipeline/${kind}/mix`;
  const pipeline = fullPipeline(kind, platformRecords);
  const run = batchLoop(pipeline, mixedStream().map(toLogRecord));
  return {
    id,
    description: `emit → ${WHAT[kind]}batch → OTLP protobuf, the 5 % mix`,
    recordsPerCall: BATCH,
    run,
    verify: () => verifyBatch(pipeline, run, kind !== 'bare', id),
  };
}

export function pipelineScenarios(): Scenario[] {
  return [fullScenario('bare'), fullScenario('floor'), fullScenario('processor')];
}
