import { createReadStream } from 'node:fs';
import { LoggerProvider, type LogRecordProcessor, type ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { Catalog } from '../../core/catalog/Catalog.ts';
import { createOtlpLogExporter, otlpEndpoint } from '../../otlp/exporter.ts';
import { Forwarder } from '../../otlp/Forwarder.ts';
import { environmentResource } from '../../otlp/resource.ts';
import { PlatformErrorProcessor } from '../../processor/PlatformErrorProcessor.ts';
import type { Style } from '../style.ts';
import { Delivery } from './Delivery.ts';
import { type EnrichFormat, jsonlLine, textLine } from './format.ts';
import { readLines } from './readLines.ts';
import { Summary } from './Summary.ts';

export interface EnrichOptions {
  /** Files to read in order; `-` (or none) is standard input. */
  files: string[];
  format: EnrichFormat;
  onlyMatches: boolean;
  /** Export over OTLP too: `true` uses the OTEL_EXPORTER_OTLP_* variables, a string is the URL. */
  otlp: boolean | string;
  platforms: string[] | undefined;
  extractFields: boolean;
  maxLineBytes: number;
  quiet: boolean;
}

export interface EnrichIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT: stop reading, flush, print the summary. */
  signal?: AbortSignal;
  style: Style;
  errorStyle: Style;
}

/** Longest wait at exit for the records still queued for OTLP; shorter once an export has failed. */
const FLUSH_TIMEOUT_MS = 15_000;
const FAILING_FLUSH_TIMEOUT_MS = 2_000;
const BINARY_SNIFF_BYTES = 8000;

export interface EnrichResult {
  summary: Summary;
  /** Files that could not be read. */
  unreadable: number;
  interrupted: boolean;
  /** Output failed for another reason than the reader going away. */
  outputFailed: boolean;
  /** With --otlp: records that did not reach the collector. */
  undelivered: number;
}

/**
 * `enrich`: every input line becomes one log record that goes through the real SDK pipeline and
 * the real processor; the attributes it gets are printed (and exported over OTLP when asked).
 */
export async function runEnrich(options: EnrichOptions, catalog: Catalog, io: EnrichIo): Promise<EnrichResult> {
  const report = (message: string) => {
    if (!options.quiet) io.stderr.write(`${io.errorStyle.yellow('otel-platform-errors:')} ${message}\n`);
  };
  let delivery: Delivery | undefined;
  if (options.otlp !== false) {
    const url = options.otlp === true ? undefined : options.otlp;
    const exporter = await createOtlpLogExporter(url, io.env);
    delivery = new Delivery(new Forwarder({ exporter }), otlpEndpoint(url, io.env), report);
  }
  let current: ReadWriteLogRecord | undefined;
  const capture: LogRecordProcessor = {
    onEmit: (record) => {
      current = record;
      delivery?.add(record);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const processor = new PlatformErrorProcessor({
    catalog,
    platforms: options.platforms,
    extractFields: options.extractFields,
    adjustSeverity: true,
    processors: [capture],
  });
  // The resource the SDK would build from OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, so that
  // the records land under the user's service_name in Loki.
  const provider = new LoggerProvider({ resource: environmentResource(), processors: [processor] });
  const logger = provider.getLogger('otel-platform-errors.enrich');
  const summary = new Summary();
  const output = new Output(io.stdout);
  const result: EnrichResult = { summary, unreadable: 0, interrupted: false, outputFailed: false, undelivered: 0 };

  const enrichLine = (line: string): string => {
    const body = toBody(line);
    logger.emit({ body: body as string });
    const attributes = current?.attributes ?? {};
    current = undefined;
    summary.add(attributes);
    return options.format === 'jsonl'
      ? jsonlLine(body, attributes)
      : textLine(line, attributes, catalog, io.style, options.onlyMatches);
  };

  const files = options.files.length === 0 ? ['-'] : options.files;
  try {
    for (const file of files) {
      if (output.closed || io.signal?.aborted) break;
      const stream = file === '-' ? io.stdin : createReadStream(file);
      const label = file === '-' ? 'standard input' : file;
      const stop = () => (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      io.signal?.addEventListener('abort', stop, { once: true });
      let sniffed = false;
      try {
        for await (const { lines, truncated } of readLines(
          sniff(stream, () => {
            if (!sniffed)
              report(
                `${label} looks like a binary file; its bytes are read as UTF-8 text (invalid sequences become U+FFFD)`,
              );
            sniffed = true;
          }),
          options.maxLineBytes,
        )) {
          for (const n of truncated)
            report(`${label}: line ${n} is longer than ${options.maxLineBytes} bytes; only its start was enriched`);
          let out = '';
          for (const line of lines) out += enrichLine(line);
          await delivery?.send();
          if (out !== '') await output.write(out);
          if (output.closed || io.signal?.aborted) break;
        }
      } catch (error) {
        if (io.signal?.aborted) break;
        result.unreadable++;
        io.stderr.write(
          `${io.errorStyle.red('otel-platform-errors:')} cannot read ${label}: ${describeError(error)}\n`,
        );
      } finally {
        io.signal?.removeEventListener('abort', stop);
      }
    }
  } finally {
    result.interrupted = io.signal?.aborted === true;
    await provider.shutdown();
    if (delivery) result.undelivered = await delivery.finish(FLUSH_TIMEOUT_MS, FAILING_FLUSH_TIMEOUT_MS);
  }
  result.outputFailed = output.failure !== undefined;
  if (output.failure)
    io.stderr.write(`${io.errorStyle.red('otel-platform-errors:')} cannot write output: ${output.failure.message}\n`);
  if (!options.quiet) {
    const toStdout = options.format === 'text' && !output.closed && !result.interrupted;
    (toStdout ? io.stdout : io.stderr).write(`${summary.render(toStdout ? io.style : io.errorStyle)}\n`);
  }
  // Said whatever --quiet says: the command fails because of it.
  if (delivery && result.undelivered > 0) {
    io.stderr.write(`${io.errorStyle.red('otel-platform-errors:')} ${delivery.failureMessage(result.undelivered)}\n`);
  }
  return result;
}

/** A JSON object line becomes a structured body, as a log shipper would deliver it. */
function toBody(line: string): unknown {
  if (line.charCodeAt(0) !== 123 /* { */ || !line.trimEnd().endsWith('}')) return line;
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : line;
  } catch {
    return line;
  }
}

/** Passes chunks through, calling `onBinary` when the start of the input holds NUL bytes. */
async function* sniff(stream: AsyncIterable<Buffer | string>, onBinary: () => void): AsyncGenerator<Buffer | string> {
  let seen = 0;
  for await (const chunk of stream) {
    if (
      seen < BINARY_SNIFF_BYTES &&
      typeof chunk !== 'string' &&
      chunk.subarray(0, BINARY_SNIFF_BYTES - seen).includes(0)
    )
      onBinary();
    seen += chunk.length;
    yield chunk;
  }
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error)?.message ?? String(error);
}

/** stdout with back-pressure, and a clean stop when the reader goes away (EPIPE). */
class Output {
  closed = false;
  /** A write error other than the reader going away. */
  failure: Error | undefined;
  private readonly _stream: NodeJS.WritableStream;

  constructor(stream: NodeJS.WritableStream) {
    this._stream = stream;
    stream.on('error', (error: NodeJS.ErrnoException) => {
      this.closed = true;
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.failure = error;
    });
  }

  async write(text: string): Promise<void> {
    if (this.closed || this._stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this._stream.off('drain', done);
        this._stream.off('close', done);
        this._stream.off('error', done);
        resolve();
      };
      this._stream.on('drain', done);
      this._stream.on('close', done);
      this._stream.on('error', done);
    });
  }
}
