/** A real LoggerProvider whose records end in an in-memory exporter, with the processor in front. */
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { PlatformErrorProcessor } from '../../src/processor/PlatformErrorProcessor.ts';
import type { PlatformErrorProcessorOptions } from '../../src/types.ts';

export interface Emitted {
  record: ReadableLogRecord;
  attributes: Record<string, unknown>;
}

export class Pipeline {
  readonly exporter = new InMemoryLogRecordExporter();
  readonly processor: PlatformErrorProcessor;
  private readonly providers = new Map<string, LoggerProvider>();

  constructor(options: PlatformErrorProcessorOptions = {}) {
    this.processor = new PlatformErrorProcessor({
      ...options,
      processors: [new SimpleLogRecordProcessor({ exporter: this.exporter }), ...(options.processors ?? [])],
    });
  }

  private provider(resource: Record<string, unknown> | undefined): LoggerProvider {
    const key = JSON.stringify(resource ?? {});
    let provider = this.providers.get(key);
    if (!provider) {
      provider = new LoggerProvider({
        resource: resourceFromAttributes((resource ?? {}) as Record<string, string>),
        processors: [this.processor],
      });
      this.providers.set(key, provider);
    }
    return provider;
  }

  /** Emits one record and returns what the exporter received. */
  emit(body: unknown, attributes: Record<string, unknown> = {}, resource?: Record<string, unknown>): Emitted {
    this.exporter.reset();
    this.provider(resource)
      .getLogger('test')
      .emit({ body: body as string, attributes: attributes as Record<string, string> });
    const [record] = this.exporter.getFinishedLogRecords();
    if (!record) throw new Error('nothing was exported');
    return { record, attributes: { ...record.attributes } };
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.providers.values()].map((p) => p.shutdown()));
  }
}
