import type { IncomingMessage } from 'node:http';
import { type BodyLimits, readBody } from '../../http/body.ts';
import { HttpError } from '../../http/HttpError.ts';
import type { Pipeline } from '../../pipeline/Pipeline.ts';
import { decodeRequest, recordsOf } from './decode.ts';
import { ExportLogsServiceResponse } from './otlpLogsProto.ts';

/** Options of the OTLP/HTTP logs receiver. */
export interface OtlpReceiverOptions {
  limits: BodyLimits;
  /** How long a request may wait for the downstream before it is answered 503. */
  ackTimeoutMillis: number;
}

/** What an OTLP/HTTP answer carries: the body, already encoded, and its content type. */
export interface OtlpAnswer {
  contentType: string;
  body: Buffer | string;
}

const RECEIVER = 'otlp';

/**
 * `POST /v1/logs`: OTLP/HTTP in, protobuf or JSON, gzip or not — Heroku Fir telemetry drains,
 * apps and Collectors. The records are enriched in place, their resources and scopes kept, and
 * the answer follows the OTLP/HTTP spec: an ExportLogsServiceResponse (with partial success
 * when some entries were not log records) once the downstream accepted them.
 */
export class OtlpReceiver {
  constructor(
    private readonly _pipeline: Pipeline,
    private readonly _options: OtlpReceiverOptions,
  ) {}

  async handle(req: IncomingMessage, signal?: AbortSignal): Promise<OtlpAnswer> {
    const encoding = encodingOf(req);
    const body = await readBody(req, this._options.limits);
    const { records, rejected } = recordsOf(decodeRequest(body, encoding), encoding);
    if (records.length > 0) await this._pipeline.accept(RECEIVER, records, this._options.ackTimeoutMillis, signal);
    const partialSuccess =
      rejected > 0
        ? { rejectedLogRecords: rejected, errorMessage: `${rejected} entries were not log records` }
        : undefined;
    return encoding === 'json'
      ? { contentType: 'application/json', body: JSON.stringify(partialSuccess ? { partialSuccess } : {}) }
      : {
          contentType: 'application/x-protobuf',
          body: Buffer.from(
            ExportLogsServiceResponse.encode(
              ExportLogsServiceResponse.create(partialSuccess ? { partialSuccess } : {}),
            ).finish(),
          ),
        };
  }
}

/** OTLP/HTTP's two encodings, by Content-Type; 415 for anything else. */
function encodingOf(req: IncomingMessage): 'protobuf' | 'json' {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new HttpError(415, `Content-Type "${type}" is not OTLP/HTTP (application/x-protobuf or application/json)`);
}
