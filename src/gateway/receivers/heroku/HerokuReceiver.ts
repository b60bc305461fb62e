import type { IncomingMessage } from 'node:http';
import type { Resource } from '@opentelemetry/resources';
import { severityOfLevel } from '../../../core/severity.ts';
import { type BodyLimits, readBody } from '../../http/body.ts';
import type { GatewayMetrics } from '../../metrics.ts';
import { GatewayLogRecord, hrTimeFromRfc3339, nowHrTime, type Scope } from '../../pipeline/GatewayLogRecord.ts';
import type { Pipeline } from '../../pipeline/Pipeline.ts';
import { DeliveredIds } from '../DeliveredIds.ts';
import { QueryResources } from '../QueryResources.ts';
import { splitOctetFrames } from './octetFrames.ts';
import { parseHerokuSyslog } from './syslog.ts';

/** Options of the Logplex HTTPS drain receiver. */
export interface HerokuReceiverOptions {
  limits: BodyLimits;
  /** Frames longer than this are dropped (Logplex caps messages at 10,240 bytes). */
  maxFrameBytes: number;
  /** How long a request may wait for the downstream before it is answered 503 (Logplex gives up after 5 s). */
  ackTimeoutMillis: number;
  /** How many delivered frame ids are remembered to acknowledge retries without forwarding them twice. */
  dedupeSize: number;
  /** Whether a syslog field holds the shared secret (log-shuttle writes its token as the APP-NAME), which is then not forwarded. */
  isSecret: (value: string) => boolean;
}

const RECEIVER = 'heroku';
const SCOPE: Scope = { name: 'otel-platform-errors.gateway.heroku' };
const ROUTER_AT = /(?:^|\s)at=(info|warning|error)(?=\s|$)/;
/** Logplex's and log-shuttle's loss reports: `Error L10 (…): 12 messages dropped`, `… dropped 12 messages`, `Error L13: 1 messages lost`. */
const LOSS = /\bError (L1[0-3])\b.*?\b(?:([0-9]+) messages (?:dropped|lost)|dropped ([0-9]+) messages)/;
const LOSS_LINE = /\bError L1[23]\b/;
const OWN_RESOURCE = { 'cloud.provider': 'heroku' } as const;

/**
 * `POST /heroku`: Logplex HTTPS drains (Cedar) and the Private Space sender (log-shuttle). One
 * log record per frame, with the frame's timestamp, severity from the router's `at=` (or, once
 * recognised, the code's), the syslog fields under Sentry Relay's attribute names, and the drain
 * URL's query parameters on the resource with `cloud.provider=heroku`.
 */
export class HerokuReceiver {
  private readonly _delivered: DeliveredIds;
  private readonly _resources = new QueryResources();

  constructor(
    private readonly _pipeline: Pipeline,
    private readonly _metrics: GatewayMetrics,
    private readonly _options: HerokuReceiverOptions,
  ) {
    this._delivered = new DeliveredIds(_options.dedupeSize);
  }

  /**
   * Reads, frames, enriches and forwards one drain request; resolves when it may be answered 2xx.
   * `signal` aborts when the sender gives up, so records it will resend are not forwarded now.
   */
  async handle(req: IncomingMessage, url: URL, signal?: AbortSignal): Promise<void> {
    const body = await readBody(req, this._options.limits);
    // Logplex repeats Logplex-Frame-Id on every retry; log-shuttle sends X-Request-Id instead.
    const frameId = header(req, 'logplex-frame-id') ?? header(req, 'x-request-id');
    await this._delivered.once(
      frameId,
      () => this._forward(req, url, body, signal),
      () => {
        this._metrics.duplicates.inc({ receiver: RECEIVER });
      },
    );
  }

  private async _forward(req: IncomingMessage, url: URL, body: Buffer, signal?: AbortSignal): Promise<void> {
    const { frames, problems } = splitOctetFrames(body, this._options.maxFrameBytes);
    for (const problem of problems) this._metrics.rejected.inc({ receiver: RECEIVER, reason: problem });
    const declared = Number(header(req, 'logplex-msg-count'));
    if (Number.isInteger(declared) && declared !== frames.length + problems.length) {
      this._metrics.countMismatches.inc();
    }
    const resource = this._resources.get(url.search, OWN_RESOURCE);
    const drainToken = header(req, 'logplex-drain-token');
    const observed = nowHrTime();
    const records = frames.map((frame) => this._record(frame, resource, drainToken, observed));
    // log-shuttle reports a loss twice, in a header and in an L12/L13 line: the line counts.
    if (!frames.some((frame) => LOSS_LINE.test(frame))) this._countHeaderLoss(req);
    if (records.length > 0) await this._pipeline.accept(RECEIVER, records, this._options.ackTimeoutMillis, signal);
  }

  private _record(
    frame: string,
    resource: Resource,
    drainToken: string | undefined,
    observed: ReturnType<typeof nowHrTime>,
  ): GatewayLogRecord {
    const syslog = parseHerokuSyslog(frame);
    if (!syslog) {
      this._metrics.rejected.inc({ receiver: RECEIVER, reason: 'not_syslog' });
      return new GatewayLogRecord(resource, SCOPE, { body: frame, time: observed });
    }
    const attributes: Record<string, unknown> = {
      'syslog.facility': syslog.facility,
      'syslog.severity': syslog.severity,
      'syslog.version': syslog.version,
      'syslog.appname': this._options.isSecret(syslog.appname) ? '[redacted]' : syslog.appname,
      'syslog.procid': syslog.procid,
    };
    if (syslog.msgid !== '-') attributes['syslog.msgid'] = syslog.msgid;
    if (syslog.hostname !== 'host') attributes['syslog.hostname'] = syslog.hostname;
    if (drainToken !== undefined) attributes['heroku.logplex.drain_token'] = drainToken;
    const at = ROUTER_AT.exec(syslog.message)?.[1];
    const [severityNumber, severityText] = (at === undefined ? undefined : severityOfLevel(at)) ?? [];
    this._countLineLoss(syslog.message);
    return new GatewayLogRecord(resource, SCOPE, {
      body: syslog.message,
      time: hrTimeFromRfc3339(syslog.timestamp) ?? observed,
      observed,
      attributes,
      severityNumber,
      severityText,
    });
  }

  /** L10/L12/L13 lines report messages the platform dropped before they reached any drain. */
  private _countLineLoss(message: string): void {
    if (message.indexOf('Error L1') === -1) return;
    const m = LOSS.exec(message);
    const count = Number(m?.[2] ?? m?.[3]);
    if (m && count > 0) this._metrics.platformLoss.inc({ platform: 'heroku', code: m[1] as string }, count);
  }

  /** log-shuttle reports its own drops and losses in headers as well. */
  private _countHeaderLoss(req: IncomingMessage): void {
    for (const [name, code] of [
      ['logplex-drop-count', 'L12'],
      ['logplex-lost-count', 'L13'],
    ] as const) {
      const count = Number(header(req, name));
      if (count > 0) this._metrics.platformLoss.inc({ platform: 'heroku', code }, count);
    }
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}
