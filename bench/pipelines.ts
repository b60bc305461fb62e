/**
 * The pipelines the scenarios time: a real LoggerProvider whose records end in a sink, with or
 * without the processor in front, plus the processors a user would otherwise write.
 */

import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadableLogRecord,
  type ReadWriteLogRecord,
} from '@opentelemetry/sdk-logs';
import logfmt from 'logfmt';
import type { Catalog } from '../src/core/catalog/Catalog.ts';
import { loadCatalog } from '../src/core/catalog/loadCatalog.ts';
import type { CatalogEntry } from '../src/core/catalog/types.ts';
import { PlatformErrorProcessor } from '../src/processor/PlatformErrorProcessor.ts';
import type { PlatformErrorProcessorOptions } from '../src/types.ts';
import type { Sample } from './corpus.ts';

/** The argument of `logger.emit()`, taken from the SDK so no further package is needed. */
export type LogRecord = Parameters<ReturnType<LoggerProvider['getLogger']>['emit']>[0];

/** SeverityNumber.INFO, as an application's logger bridge would set it. */
const INFO = 9;

export const catalog: Catalog = loadCatalog();

/** The last processor of every synchronous pipeline: keeps only the last record, so nothing accumulates. */
export class Sink implements LogRecordProcessor {
  last: ReadWriteLogRecord | undefined;
  onEmit(record: ReadWriteLogRecord): void {
    this.last = record;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** What the scenarios drive: a logger and the sink that sees its records. */
export interface Pipeline {
  emit(record: LogRecord): void;
  sink: Sink;
}

/** The argument of `logger.emit()` for a sample, built once so the loop times only the SDK and processors. */
export function toLogRecord(sample: Sample): LogRecord {
  return {
    severityNumber: INFO,
    severityText: 'INFO',
    body: sample.body as LogRecord['body'],
    ...(sample.attributes ? { attributes: sample.attributes } : {}),
  };
}

function loggerFor(processor: LogRecordProcessor) {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench-app' }),
    processors: [processor],
  });
  return provider.getLogger('bench');
}

export function pipelineOf(wrap: (sink: Sink) => LogRecordProcessor): Pipeline {
  const sink = new Sink();
  const logger = loggerFor(wrap(sink));
  return { emit: (record) => logger.emit(record), sink };
}

/** No enrichment: the bare cost of `logger.emit()`. */
export const bare = (): Pipeline => pipelineOf((sink) => sink);

/** The processor in front of the sink. */
export const enriched = (options: PlatformErrorProcessorOptions = {}): Pipeline =>
  pipelineOf((sink) => new PlatformErrorProcessor({ ...options, processors: [sink] }));

/** Writes the five attributes the processor writes for a match, the way it does: one setAttribute each. */
function setFive(record: ReadWriteLogRecord, entry: CatalogEntry): void {
  record.setAttribute('error.type', entry.code);
  record.setAttribute('platform', entry.platform);
  record.setAttribute('category', entry.category);
  record.setAttribute('platform_fault', entry.platform_fault);
  record.setAttribute('remedy_url', entry.remedy_url);
}

/** Forwards every record to `next` after `examine` has had its turn, like the processor does. */
class ForwardingProcessor implements LogRecordProcessor {
  private readonly next: LogRecordProcessor;
  private readonly examine: (record: ReadWriteLogRecord) => void;
  constructor(next: LogRecordProcessor, examine: (record: ReadWriteLogRecord) => void) {
    this.next = next;
    this.examine = examine;
  }
  onEmit(record: ReadWriteLogRecord): void {
    this.examine(record);
    this.next.onEmit(record);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** The floor for a matching record: the same five attributes, no parsing at all. */
export function floor(): Pipeline {
  const h12 = entryOfCode('H12');
  return pipelineOf((sink) => new ForwardingProcessor(sink, (record) => setFive(record, h12)));
}

/** Peer: what a user would write with Heroku's own logfmt parser — parse, look `code` up, set attributes. */
export function logfmtPeer(): Pipeline {
  const byCode = new Map(catalog.entries('heroku').map((entry) => [entry.code, entry]));
  return pipelineOf(
    (sink) =>
      new ForwardingProcessor(sink, (record) => {
        if (typeof record.body !== 'string') return;
        const code = logfmt.parse(record.body).code;
        const entry = typeof code === 'string' ? byCode.get(code) : undefined;
        if (entry) setFive(record, entry);
      }),
  );
}

/** Peer: one regular expression per listed code, tried in turn until one matches. */
export function regexPerCodePeer(): Pipeline {
  const patterns = catalog
    .entries()
    .map((entry) => ({ regex: new RegExp(`\\b${escapeRegExp(entry.code)}\\b`), entry }));
  return pipelineOf(
    (sink) =>
      new ForwardingProcessor(sink, (record) => {
        const body = record.body;
        if (typeof body !== 'string') return;
        const hit = patterns.find(({ regex }) => regex.test(body));
        if (hit) setFive(record, hit.entry);
      }),
  );
}

export const regexPerCodeCount = (): number => catalog.entries().length;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** An exporter that really serialises each batch to OTLP protobuf and throws the bytes away. */
class ProtobufSerialisingExporter implements LogRecordExporter {
  records = 0;
  bytes = 0;
  /** Records that carried `error.type`; counted only while verifying, so timed runs skip the scan. */
  enriched = 0;
  countEnriched = false;
  export(records: ReadableLogRecord[], done: (result: { code: number }) => void): void {
    const payload = ProtobufLogsSerializer.serializeRequest(records);
    this.records += records.length;
    this.bytes += payload?.length ?? 0;
    if (this.countEnriched) this.enriched += records.filter((r) => r.attributes['error.type'] !== undefined).length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
  async forceFlush(): Promise<void> {}
}

/** emit → [processor] → BatchLogRecordProcessor → OTLP protobuf bytes. */
export interface FullPipeline {
  emit(record: LogRecord): void;
  /** Waits until every emitted record has been serialised. */
  flush(): Promise<void>;
  exporter: ProtobufSerialisingExporter;
}

/**
 * What sits in front of the batch processor: nothing (`bare`), the processor, or the
 * attribute-only floor — a processor that writes the same five attributes on the same platform
 * records, found by a Map from body to entry, without recognising anything.
 */
export type FullPipelineKind = 'bare' | 'floor' | 'processor';

export function fullPipeline(
  kind: FullPipelineKind,
  platformRecords: ReadonlyMap<unknown, CatalogEntry>,
): FullPipeline {
  const exporter = new ProtobufSerialisingExporter();
  const batch = new BatchLogRecordProcessor({ exporter });
  const front =
    kind === 'bare'
      ? batch
      : kind === 'processor'
        ? new PlatformErrorProcessor({ processors: [batch] })
        : new ForwardingProcessor(batch, (record) => {
            const entry = platformRecords.get(record.body);
            if (entry) setFive(record, entry);
          });
  const logger = loggerFor(front);
  return { emit: (record) => logger.emit(record), flush: () => batch.forceFlush(), exporter };
}

/** The catalog entry of a platform sample's code. */
export function entryOfCode(code: string): CatalogEntry {
  for (const platform of catalog.platforms()) {
    const entry = catalog.get(platform, code);
    if (entry) return entry;
  }
  throw new Error(`the catalog has no code ${code}`);
}
