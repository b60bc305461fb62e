import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';

/** The result code of a successful export (ExportResultCode.SUCCESS in @opentelemetry/core). */
const SUCCESS = 0;
const FAILED = 1;

/** A record as one JSON line: what the Collector's debug exporter shows, compactly. */
function toJson(record: ReadableLogRecord): string {
  const [seconds, nanos] = record.hrTime;
  return JSON.stringify({
    time: new Date(seconds * 1000 + nanos / 1e6).toISOString(),
    severity: record.severityText ?? record.severityNumber,
    body: record.body,
    attributes: record.attributes,
    resource: record.resource.attributes,
    scope: record.instrumentationScope.name,
  });
}

/**
 * An exporter that writes every record as a JSON line to a stream (stdout by default): for running
 * with no downstream at all, like the Collector's debug exporter. Back-pressure from the stream
 * delays the acknowledgement, so a slow terminal slows the senders instead of filling memory.
 */
export class JsonLinesExporter implements LogRecordExporter {
  constructor(private readonly _out: NodeJS.WritableStream = process.stdout) {}

  export(records: ReadableLogRecord[], resultCallback: (result: { code: number; error?: Error }) => void): void {
    let text = '';
    for (const record of records) text += `${toJson(record)}\n`;
    try {
      if (this._out.write(text)) resultCallback({ code: SUCCESS });
      else this._out.once('drain', () => resultCallback({ code: SUCCESS }));
    } catch (error) {
      resultCallback({ code: FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {}

  async forceFlush(): Promise<void> {}
}
