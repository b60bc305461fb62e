import type { HrTime } from '@opentelemetry/api';
import { hrTimeFromRfc3339 } from '../../pipeline/GatewayLogRecord.ts';

/*
 * One message of Fly's org log stream (NATS subject `logs.<app>.<region>.<machine>`), as
 * fly-log-shipper and flyctl read it:
 *   {"event":{"provider":"app"},"fly":{"app":{"instance":"0e286551c30586","name":"my-app"},"region":"sjc"},
 *    "host":"0ad1","log":{"level":"info"},"message":"…","timestamp":"2022-09-27T20:34:37.253080674Z"}
 */

/** The resource of a Fly record: semantic conventions' service and cloud attributes. */
export interface FlyResource {
  'service.name'?: string;
  'service.instance.id'?: string;
  'cloud.provider': 'fly_io';
  'cloud.region'?: string;
}

/** A parsed message: what becomes the record. */
export interface FlyMessage {
  body: string;
  time: HrTime | undefined;
  severityNumber: number | undefined;
  severityText: string | undefined;
  attributes: Record<string, string>;
  resource: FlyResource;
}

/** Fly's `log.level` values as OpenTelemetry severities. */
const SEVERITY: Record<string, [number, string]> = {
  trace: [1, 'TRACE'],
  debug: [5, 'DEBUG'],
  info: [9, 'INFO'],
  notice: [10, 'INFO2'],
  warn: [13, 'WARN'],
  warning: [13, 'WARN'],
  error: [17, 'ERROR'],
  critical: [21, 'FATAL'],
  fatal: [21, 'FATAL'],
};

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
/** `obj.a.b` or the flattened `obj["a.b"]`: shippers write either. */
function at(obj: Json, path: string): unknown {
  if (Object.hasOwn(obj, path)) return obj[path];
  let current: unknown = obj;
  for (const key of path.split('.')) {
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * A NATS message as a record. A payload that is not Fly's JSON is kept whole as the body; the
 * app, region and machine then come from the subject, which names them too.
 */
export function parseFlyMessage(payload: string, subject: string): FlyMessage {
  const [, subjectApp, subjectRegion, subjectMachine] = subject.split('.');
  let json: unknown;
  if (payload.startsWith('{')) {
    try {
      json = JSON.parse(payload);
    } catch {
      json = undefined;
    }
  }
  const fields = isObject(json) ? json : {};
  const message = fields.message;
  const level = text(at(fields, 'log.level'))?.toLowerCase();
  const [severityNumber, severityText] = (level !== undefined && SEVERITY[level]) || [undefined, undefined];
  const attributes: Record<string, string> = {};
  const provider = text(at(fields, 'event.provider'));
  // ECS names, as Fly writes them: the Fly recogniser reads event.provider (proxy, app, runner).
  if (provider !== undefined) attributes['event.provider'] = provider;
  const host = text(fields.host);
  if (host !== undefined) attributes['fly.host'] = host;
  const resource: FlyResource = { 'cloud.provider': 'fly_io' };
  const app = text(at(fields, 'fly.app.name')) ?? subjectApp;
  const region = text(at(fields, 'fly.region')) ?? subjectRegion;
  const instance = text(at(fields, 'fly.app.instance')) ?? subjectMachine;
  if (app !== undefined) resource['service.name'] = app;
  if (instance !== undefined) resource['service.instance.id'] = instance;
  if (region !== undefined) resource['cloud.region'] = region;
  const timestamp = text(fields.timestamp);
  return {
    body: typeof message === 'string' ? message : payload,
    time: timestamp === undefined ? undefined : hrTimeFromRfc3339(timestamp),
    severityNumber,
    severityText,
    attributes,
    resource,
  };
}
