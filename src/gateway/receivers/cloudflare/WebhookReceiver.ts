import type { IncomingMessage } from 'node:http';
import { type BodyLimits, readBody } from '../../http/body.ts';
import { HttpError } from '../../http/HttpError.ts';
import { GatewayLogRecord, hrTimeFromMillis, nowHrTime, type Scope } from '../../pipeline/GatewayLogRecord.ts';
import type { Pipeline } from '../../pipeline/Pipeline.ts';
import { QueryResources } from '../QueryResources.ts';

/*
 * A Cloudflare notification sent to a generic webhook destination:
 *   {"name":"…","text":"…","data":{"new_health":"Unhealthy","pool_name":"eu-west","origin_name":"a",…},
 *    "ts":1136214245,"account_id":"…","policy_name":"…","alert_type":"load_balancing_health_alert",…}
 * Load Balancing health alerts and health-check status notifications carry the failure reason in
 * `data`; the recogniser reads it there (and in `text`). The destination's test message has no
 * alert_type: `{"text":"Hello World! This is a test message …"}`.
 */

export interface WebhookReceiverOptions {
  limits: BodyLimits;
  ackTimeoutMillis: number;
}

export type WebhookOutcome = 'test' | 'delivered';

const RECEIVER = 'cloudflare_webhook';
const SCOPE: Scope = { name: 'otel-platform-errors.gateway.cloudflare.webhook' };
/** Notification fields copied as attributes (the record's body keeps all of them). */
const FIELDS: Record<string, string> = {
  alert_type: 'cloudflare.notification.alert_type',
  alert_event: 'cloudflare.notification.alert_event',
  policy_name: 'cloudflare.notification.policy_name',
  name: 'cloudflare.notification.name',
};

/** `POST /cloudflare/webhook`: one record per notification, acknowledged once delivered. */
export class WebhookReceiver {
  private readonly _resources = new QueryResources();

  constructor(
    private readonly _pipeline: Pipeline,
    private readonly _options: WebhookReceiverOptions,
  ) {}

  async handle(req: IncomingMessage, url: URL, signal?: AbortSignal): Promise<WebhookOutcome> {
    const raw = await readBody(req, this._options.limits);
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'the notification is not JSON');
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new HttpError(400, 'the notification is not a JSON object');
    }
    const notification = payload as Record<string, unknown>;
    if (notification.alert_type === undefined && notification.data === undefined) return 'test';
    const attributes: Record<string, string> = {};
    for (const field in FIELDS) {
      const value = notification[field];
      if (typeof value === 'string' && value !== '') attributes[FIELDS[field] as string] = value;
    }
    const account = notification.account_id;
    const resource = this._resources.get(
      url.search,
      typeof account === 'string' && account !== ''
        ? { 'cloud.provider': 'cloudflare', 'cloud.account.id': account }
        : { 'cloud.provider': 'cloudflare' },
    );
    const ts = notification.ts;
    const observed = nowHrTime();
    const record = new GatewayLogRecord(resource, SCOPE, {
      body: notification,
      time: typeof ts === 'number' && ts > 0 ? hrTimeFromMillis(ts * 1000) : observed,
      observed,
      attributes,
    });
    await this._pipeline.accept(RECEIVER, [record], this._options.ackTimeoutMillis, signal);
    return 'delivered';
  }
}
