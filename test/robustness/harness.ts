/**
 * Emits generated records through a real LoggerProvider: a snapshot processor first (it records
 * what the SDK built before anything else touched the record), then the processor chain under
 * test, ending in a SimpleLogRecordProcessor with an in-memory exporter.
 */
import type { Context } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type LogRecordProcessor,
  type ReadableLogRecord,
  type ReadWriteLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import type { RecordInput } from './arbitraries.ts';

/** The record's own attributes, as [key, value] pairs (inherited properties are not exported). */
export function ownAttributes(record: ReadableLogRecord): Map<string, unknown> {
  return new Map(Object.keys(record.attributes).map((key) => [key, record.attributes[key]]));
}

class SnapshotProcessor implements LogRecordProcessor {
  taken = new Map<string, unknown>();
  onEmit(record: ReadWriteLogRecord, _context?: Context): void {
    this.taken = ownAttributes(record);
  }
  forceFlush = () => Promise.resolve();
  shutdown = () => Promise.resolve();
}

export interface Outcome {
  /** Own attributes before the processor under test ran. */
  before: Map<string, unknown>;
  /** The exported record. */
  record: ReadableLogRecord;
}

export class Harness {
  readonly exporter = new InMemoryLogRecordExporter();
  private readonly snapshot = new SnapshotProcessor();
  private readonly head: LogRecordProcessor;

  /** `front` wraps the exporting processor in the chain under test. */
  constructor(front: (exporting: LogRecordProcessor) => LogRecordProcessor) {
    this.head = front(new SimpleLogRecordProcessor({ exporter: this.exporter }));
  }

  /**
   * A provider per record, because each record brings its own resource. Providers are never shut
   * down: that would shut the shared chain down too.
   */
  emit(input: RecordInput): Outcome {
    this.exporter.reset();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes((input.resource ?? {}) as Record<string, string>),
      processors: [this.snapshot, this.head],
    });
    provider.getLogger('robustness').emit({
      body: input.body as string,
      attributes: input.attributes as Record<string, string>,
      ...(input.severityNumber === undefined ? {} : { severityNumber: input.severityNumber }),
    });
    const exported = this.exporter.getFinishedLogRecords();
    if (exported.length !== 1) throw new Error(`expected one exported record, got ${exported.length}`);
    return { before: this.snapshot.taken, record: exported[0] as ReadableLogRecord };
  }
}

/** What an exporter sees of a record, for comparing two runs. */
export function exportedView(record: ReadableLogRecord) {
  return {
    attributes: Object.fromEntries(ownAttributes(record)),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    droppedAttributesCount: record.droppedAttributesCount,
  };
}
