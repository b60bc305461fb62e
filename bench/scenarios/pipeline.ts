/**
 * The whole export path an application pays for: emit → (processor) → BatchLogRecordProcessor →
 * OTLP protobuf serialisation, on the 5 % mix. One call emits one default-size batch (512) and
 * waits until it is serialised, so no record is dropped and every record is really encoded.
 */
import { mixedStream } from '../corpus.ts';
import { type FullPipeline, fullPipeline, type LogRecord, toLogRecord } from '../pipelines.ts';
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
async function verifyBatch(pipeline: FullPipeline, run: () => Promise<void>, withProcessor: boolean, id: string) {
  const { exporter } = pipeline;
  const before = exporter.records;
  exporter.countEnriched = true;
  exporter.enriched = 0;
  await run();
  exporter.countEnriched = false;
  const exported = exporter.records - before;
  const wantEnriched = withProcessor ? Math.round(BATCH / 20) : 0;
  if (exported !== BATCH || exporter.bytes === 0) throw new Error(`${id}: ${exported} of ${BATCH} records serialised`);
  if (Math.abs(exporter.enriched - wantEnriched) > 1) {
    throw new Error(`${id}: ${exporter.enriched} records enriched, expected about ${wantEnriched}`);
  }
}

function fullScenario(withProcessor: boolean): Scenario {
  const id = `pipeline/${withProcessor ? 'processor' : 'bare'}/mix`;
  const pipeline = fullPipeline(withProcessor);
  const run = batchLoop(pipeline, mixedStream().map(toLogRecord));
  return {
    id,
    description: `emit → ${withProcessor ? 'processor → ' : ''}batch → OTLP protobuf, the 5 % mix`,
    recordsPerCall: BATCH,
    run,
    verify: () => verifyBatch(pipeline, run, withProcessor, id),
  };
}

export function pipelineScenarios(): Scenario[] {
  return [fullScenario(false), fullScenario(true)];
}
