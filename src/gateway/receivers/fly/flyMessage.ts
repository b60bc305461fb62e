import type { HrTime } from '@opentelemetry/api';
import { field, fieldPath, isPlainObject, own } from '../../../core/recognisers/fields.ts';
import { severityOfLevel } from '../../../core/severity.ts';
import { hrTimeFromRfc3339 } from '../../pipeline/GatewayLogRecord.ts';

/*
 * One message of Fly's org log stream (NATS subject `logs.<app>.<region>.<machine>`), as
 * fly-log-shipper and flyctl read it:
 *   {"event":{"provider":"app"},"fly":{"app":{"instance":"0e286551c30586","name":"my-app"},"region":"sjc"},
 *    "host":"0ad1","log":{"level":"info"},"message":"…","timestamp":"2022-09-27T20:34:37.253080674Z"}
 */

/** The resource of a Fly record: semantic conventions' service and cloud attributes. */
export type FlyResource = {
  'service.name'?: string;
  'service.instance.id'?: string;
  'cloud.provider': 'fly_io';
  'cloud.region'?: string;
};

/** A parsed message: what becomes the record. */
export interface FlyMessage {
  body: string;
  time: HrTime | undefined;
  severityNumber: number | undefined;
  severityText: string | undefined;
  attributes: Record<string, string>;
  resource: FlyResource;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
/** Fly's fields; shippers write them nested (`{fly: {app: {name}}}`) or flattened (`"fly.app.name"`). */
const LOG_LEVEL = fieldPath('log.level');
const EVENT_PROVIDER = fieldPath('event.provider');
const APP_NAME = fieldPath('fly.app.name');
const REGION = fieldPath('fly.region');
const INSTANCE = fieldPath('fly.app.instance');

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
  const fields = isPlainObject(json) ? json : {};
  const message = own(fields, 'message');
  const level = text(field(fields, LOG_LEVEL))?.toLowerCase();
  const [severityNumber, severityText] = (level === undefined ? undefined : severityOfLevel(level)) ?? [];
  const attributes: Record<string, string> = {};
  const provider = text(field(fields, EVENT_PROVIDER));
  // ECS names, as Fly writes them: the Fly recogniser reads event.provider (proxy, app, runner).
  if (provider !== undefined) attributes['event.provider'] = provider;
  const host = text(own(fields, 'host'));
  if (host !== undefined) attributes['fly.host'] = host;
  const resource: FlyResource = { 'cloud.provider': 'fly_io' };
  const app = text(field(fields, APP_NAME)) ?? subjectApp;
  const region = text(field(fields, REGION)) ?? subjectRegion;
  const instance = text(field(fields, INSTANCE)) ?? subjectMachine;
  if (app !== undefined) resource['service.name'] = app;
  if (instance !== undefined) resource['service.instance.id'] = instance;
  if (region !== undefined) resource['cloud.region'] = region;
  const timestamp = text(own(fields, 'timestamp'));
  return {
    body: typeof message === 'string' ? message : payload,
    time: timestamp === undefined ? undefined : hrTimeFromRfc3339(timestamp),
    severityNumber,
    severityText,
    attributes,
    resource,
  };
}
