/**
 * A real OTLP/HTTP logs receiver on loopback: it accepts `POST /v1/logs` in http/json or
 * http/protobuf and decodes every record, so tests can assert what actually went over the wire.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

const root = protobuf.parse(readFileSync(new URL('./otlp-logs.proto', import.meta.url), 'utf8'), {
  keepCase: false,
}).root;
const ExportLogsServiceRequest = root.lookupType('otlp.ExportLogsServiceRequest');

export interface ReceivedRecord {
  body: unknown;
  attributes: Record<string, unknown>;
  severityNumber: number | undefined;
  severityText: string | undefined;
  /** Nanoseconds since the epoch, as a decimal string. */
  timeUnixNano: string | undefined;
  traceId: string | undefined;
  resource: Record<string, unknown>;
  scope: { name?: string; version?: string };
  contentType: string;
}

type OtlpAnyValue = Record<string, unknown>;
type OtlpKeyValue = { key: string; value?: OtlpAnyValue };
interface OtlpRequest {
  resourceLogs?: Array<{
    resource?: { attributes?: OtlpKeyValue[] };
    scopeLogs?: Array<{
      scope?: { name?: string; version?: string };
      logRecords?: Array<{
        body?: OtlpAnyValue;
        attributes?: OtlpKeyValue[];
        severityNumber?: number;
        severityText?: string;
        timeUnixNano?: string | number;
        traceId?: string;
      }>;
    }>;
  }>;
}

function value(v: OtlpAnyValue | undefined): unknown {
  if (!v) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return v.doubleValue;
  if ('arrayValue' in v) return ((v.arrayValue as { values?: OtlpAnyValue[] }).values ?? []).map(value);
  if ('kvlistValue' in v) return attributes((v.kvlistValue as { values?: OtlpKeyValue[] }).values);
  if ('bytesValue' in v) return v.bytesValue;
  return undefined;
}

/** Trace ids: bytes in protobuf, hex in OTLP/JSON. */
function hex(id: unknown): string | undefined {
  if (id === undefined || id === '') return undefined;
  return Buffer.isBuffer(id) ? id.toString('hex') || undefined : String(id);
}

function attributes(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, value(kv.value)]));
}

function decode(contentType: string, body: Buffer): ReceivedRecord[] {
  const request = (
    contentType.includes('json')
      ? JSON.parse(body.toString('utf8'))
      : ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), { longs: String, bytes: Buffer })
  ) as OtlpRequest;
  return (request.resourceLogs ?? []).flatMap((rl) =>
    (rl.scopeLogs ?? []).flatMap((sl) =>
      (sl.logRecords ?? []).map((lr) => ({
        body: value(lr.body),
        attributes: attributes(lr.attributes),
        severityNumber: lr.severityNumber,
        severityText: lr.severityText || undefined,
        timeUnixNano: lr.timeUnixNano === undefined ? undefined : String(lr.timeUnixNano),
        traceId: hex(lr.traceId),
        resource: attributes(rl.resource?.attributes),
        scope: { name: sl.scope?.name, version: sl.scope?.version },
        contentType,
      })),
    ),
  );
}

export class OtlpReceiver {
  readonly records: ReceivedRecord[] = [];
  readonly requests: Array<{ path: string; contentType: string; status: number }> = [];
  /**
   * How the receiver answers from now on: a status other than 200 (records are then not kept),
   * with Retry-After seconds, after a delay — for the tests of a failing downstream.
   */
  behaviour: { status?: number; retryAfterSeconds?: number; delayMillis?: number } = {};
  private server: Server | undefined;

  /** Starts listening on 127.0.0.1 (on `port`, or a free one); resolves to the logs endpoint URL. */
  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const contentType = String(req.headers['content-type'] ?? '');
        const { status = 200, retryAfterSeconds, delayMillis = 0 } = this.behaviour;
        const answer = () => {
          this.requests.push({ path: req.url ?? '', contentType, status });
          if (status !== 200) {
            const headers = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
            res.writeHead(status, headers).end();
            return;
          }
          try {
            const raw = Buffer.concat(chunks);
            const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
            this.records.push(...decode(contentType, body));
            res.writeHead(200, { 'content-type': contentType }).end();
          } catch (error) {
            res.writeHead(400).end(String(error));
          }
        };
        if (delayMillis > 0) setTimeout(answer, delayMillis);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/logs`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = undefined;
  }
}
