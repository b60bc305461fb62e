import type { IncomingMessage } from 'node:http';
import { pipeline as pipe, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createInflate } from 'node:zlib';
import { contentEncoding, wireChunks } from '../../http/body.ts';
import { HttpError } from '../../http/HttpError.ts';
import type { GatewayMetrics } from '../../metrics.ts';
import { GatewayLogRecord, nowHrTime, type Scope } from '../../pipeline/GatewayLogRecord.ts';
import type { Pipeline } from '../../pipeline/Pipeline.ts';
import { QueryResources } from '../QueryResources.ts';
import { recordTime, requestAttributes, severityOf } from './logpushRecord.ts';

/** Options of the Logpush HTTP destination. */
export interface LogpushReceiverOptions {
  /** Largest body, on the wire and once decompressed (it is streamed, not held). */
  maxBytes: number;
  /** Longest NDJSON line; a longer one is skipped and counted. */
  maxLineBytes: number;
  /** How long one chunk of records may wait for the downstream before the request is answered 503. */
  ackTimeoutMillis: number;
  /** Forward every record, not only those that hold a platform code. */
  forwardAll: boolean;
}

/** What a request came to. */
export type LogpushOutcome =
  | { kind: 'validation' }
  | { kind: 'delivered'; records: number; forwarded: number; rejected: number };

const RECEIVER = 'cloudflare_logpush';
const SCOPE: Scope = { name: 'otel-platform-errors.gateway.cloudflare.logpush' };
/** Records handed on together: reading pauses while a chunk waits for the downstream, so memory stays flat. */
const CHUNK = 1000;
const GZIP_MAGIC = [0x1f, 0x8b];

/** The bodies Logpush sends to check a destination when a job is created (gzipped or not). */
function isValidationUpload(line: string): boolean {
  const text = line.trim();
  if (text === 'test') return true;
  if (!text.startsWith('{')) return false;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && JSON.stringify(value) === '{"content":"tests"}';
  } catch {
    return false;
  }
}

/**
 * `POST /cloudflare/logpush`: a Logpush job's HTTP destination. The gzipped NDJSON batch is
 * decompressed and split as it arrives (batches reach hundreds of MB), each line becomes a
 * record with the Logpush record as its body, and by default only records that hold a platform
 * code — a Cloudflare-generated 52x/530 — are forwarded. Answered 200 once every forwarded record
 * was accepted downstream; 503 when the downstream fails (Logpush retries about five times over
 * five minutes, so a retried batch may repeat records forwarded before the failure).
 */
export class LogpushReceiver {
  private readonly _resources = new QueryResources();

  constructor(
    private readonly _pipeline: Pipeline,
    private readonly _metrics: GatewayMetrics,
    private readonly _options: LogpushReceiverOptions,
  ) {}

  async handle(req: IncomingMessage, url: URL, signal?: AbortSignal): Promise<LogpushOutcome> {
    const encoding = contentEncoding(req);
    const source = wireChunks(req, this._options.maxBytes);
    const first = await source.next();
    if (first.done) return { kind: 'delivered', records: 0, forwarded: 0, rejected: 0 };
    const head = first.value;
    // The validation upload is a gzip file (test.txt.gz) whether or not Content-Encoding says so.
    const gzip =
      encoding === 'gzip' || (encoding === 'identity' && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]);
    const body = Readable.from(
      (async function* () {
        yield head;
        yield* source;
      })(),
    );
    const stream =
      gzip || encoding === 'deflate' ? pipe(body, gzip ? createGunzip() : createInflate(), () => undefined) : body;
    try {
      return await this._read(stream, url, signal);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string' && code.startsWith('Z_')) {
        throw new HttpError(400, `the body does not decompress: ${(error as Error).message}`);
      }
      throw error;
    } finally {
      stream.destroy();
    }
  }

  private async _read(stream: Readable, url: URL, signal?: AbortSignal): Promise<LogpushOutcome> {
    const { maxBytes, maxLineBytes } = this._options;
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let skipping = false;
    let size = 0;
    let lines = 0;
    let held: string | undefined;
    let chunk: GatewayLogRecord[] = [];
    const outcome = { kind: 'delivered' as const, records: 0, forwarded: 0, rejected: 0 };
    const take = async (line: string) => {
      if (line.trim() === '') return;
      lines++;
      // The first line might be the whole validation upload: decided once a second line comes, or the end.
      if (lines === 1 && isValidationUpload(line)) {
        held = line;
        return;
      }
      if (held !== undefined) {
        const first = held;
        held = undefined;
        await take(first);
      }
      const record = this._record(line, url);
      if (!record) {
        outcome.rejected++;
        return;
      }
      chunk.push(record);
      if (chunk.length >= CHUNK) {
        const full = chunk;
        chunk = [];
        outcome.forwarded += await this._deliver(full, signal);
        outcome.records += full.length;
      }
    };
    for await (const data of stream as AsyncIterable<Buffer>) {
      size += data.length;
      if (size > maxBytes) throw new HttpError(413, `the body exceeds ${maxBytes} bytes once decompressed`);
      const parts = (pending + decoder.write(data)).split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        if (skipping) {
          skipping = false; // the overlong line ends here
          continue;
        }
        await take(part);
      }
      if (pending.length > maxLineBytes) {
        if (!skipping) {
          this._metrics.rejected.inc({ receiver: RECEIVER, reason: 'too_long' });
          outcome.rejected++;
          skipping = true;
        }
        pending = '';
      }
    }
    if (!skipping) await take(pending + decoder.end());
    if (held !== undefined) {
      this._metrics.filtered.inc({ receiver: RECEIVER });
      return { kind: 'validation' };
    }
    if (chunk.length > 0) {
      outcome.forwarded += await this._deliver(chunk, signal);
      outcome.records += chunk.length;
    }
    return outcome;
  }

  private _record(line: string, url: URL): GatewayLogRecord | undefined {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this._metrics.rejected.inc({ receiver: RECEIVER, reason: 'not_json' });
      return undefined;
    }
    const record = value as Record<string, unknown>;
    const zone = typeof record.ZoneName === 'string' ? record.ZoneName : '';
    const resource = this._resources.get(
      url.search,
      zone === '' ? { 'cloud.provider': 'cloudflare' } : { 'cloud.provider': 'cloudflare', 'cloudflare.zone': zone },
    );
    const severity = severityOf(record);
    const observed = nowHrTime();
    return new GatewayLogRecord(resource, SCOPE, {
      body: record,
      time: recordTime(record) ?? observed,
      observed,
      attributes: requestAttributes(record),
      severityNumber: severity?.[0],
      severityText: severity?.[1],
    });
  }

  /** Enriches a chunk and forwards what should go on; resolves with how many were forwarded. */
  private async _deliver(chunk: GatewayLogRecord[], signal?: AbortSignal): Promise<number> {
    const coded = this._pipeline.enrich(RECEIVER, chunk);
    const forward = this._options.forwardAll ? chunk : coded;
    if (forward.length < chunk.length)
      this._metrics.filtered.inc({ receiver: RECEIVER }, chunk.length - forward.length);
    if (forward.length > 0) await this._pipeline.forward(RECEIVER, forward, this._options.ackTimeoutMillis, signal);
    return forward.length;
  }
}
