/**
 * Fly's org log stream over NATS: a real nats-server started here, messages in Fly's shape
 * (ingest.md TV-F1, and proxy lines as `fly logs` shows them) published by a real NATS client,
 * a real gateway subscribing, forwarding over OTLP/HTTP to a real receiver.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, get, type Running, startGateway } from '../helpers/gateway.ts';
import { NatsServer } from '../helpers/natsServer.ts';
import { OtlpReceiver } from '../helpers/otlpReceiver.ts';

let nats: NatsServer;
let publisher: NatsConnection;
const running: Running[] = [];

beforeAll(async () => {
  nats = await NatsServer.start();
  publisher = await connect({
    servers: nats.url,
    user: nats.user,
    pass: nats.password,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
  });
});
afterAll(async () => {
  await publisher?.close();
  await nats?.stop();
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

/** A gateway subscribed to the test server, as FLY_* variables configure it. */
async function flyGateway(env: Record<string, string> = {}, downstream = new OtlpReceiver()): Promise<Running> {
  const r = await startGateway(
    {},
    {
      FLY_ACCESS_TOKEN: nats.password,
      FLY_ORG: nats.user,
      FLY_NATS_URL: nats.url,
      ...env,
    },
    downstream,
  );
  running.push(r);
  await r.gateway.fly?.ready();
  // A subscription is in place once the server has seen it; a flush round-trip of ours orders after it.
  await publisher.flush();
  return r;
}

/** Fly's NATS JSON for one log line. */
function flyJson(message: string, fields: { provider?: string; app?: string; level?: string; instance?: string } = {}) {
  return JSON.stringify({
    event: { provider: fields.provider ?? 'app' },
    fly: { app: { instance: fields.instance ?? '0e286551c30586', name: fields.app ?? 'shop' }, region: 'sjc' },
    host: '0ad1',
    log: { level: fields.level ?? 'info' },
    message,
    timestamp: '2022-09-27T20:34:37.253080674Z',
  });
}

describe('Fly NATS subscriber', () => {
  it('turns Fly messages into enriched records: body, resource, time, severity', async () => {
    const r = await flyGateway();
    publisher.publish(
      'logs.shop.sjc.0e286551c30586',
      flyJson('[PC01] instance refused connection. is your app listening on 0.0.0.0:8080?', {
        provider: 'proxy',
        level: 'error',
      }),
    );
    publisher.publish('logs.shop.sjc.0e286551c30586', flyJson('litestream shut down'));
    await eventually(() => r.downstream.records.length === 2);
    const [proxy, app] = [...r.downstream.records].sort((a, b) => String(a.body).localeCompare(String(b.body)));
    expect(proxy?.body).toBe('[PC01] instance refused connection. is your app listening on 0.0.0.0:8080?');
    expect(proxy?.attributes).toMatchObject({
      'error.type': 'PC01',
      platform: 'fly',
      'event.provider': 'proxy',
      'fly.host': '0ad1',
    });
    expect(proxy?.severityText).toBe('ERROR');
    expect(proxy?.resource).toMatchObject({
      'service.name': 'shop',
      'service.instance.id': '0e286551c30586',
      'cloud.provider': 'fly_io',
      'cloud.region': 'sjc',
    });
    expect(proxy?.timeUnixNano).toBe('1664310877253080674');
    expect(app?.body).toBe('litestream shut down');
    expect(app?.attributes['error.type']).toBeUndefined();
    expect(app?.severityNumber).toBe(9);
  });

  it('keeps a payload that is not JSON as the body, with the app, region and machine from the subject', async () => {
    const r = await flyGateway();
    publisher.publish('logs.billing.ams.148e4d55f36789', 'plain text, not JSON {');
    await eventually(() => r.downstream.records.length === 1);
    expect(r.downstream.records[0]?.body).toBe('plain text, not JSON {');
    expect(r.downstream.records[0]?.resource).toMatchObject({
      'service.name': 'billing',
      'cloud.region': 'ams',
      'service.instance.id': '148e4d55f36789',
    });
  });

  it('accepts the variable names fly-log-shipper users know (ORG, ACCESS_TOKEN, SUBJECT, QUEUE)', async () => {
    const downstream = new OtlpReceiver();
    const r = await startGateway(
      {},
      { ACCESS_TOKEN: nats.password, ORG: nats.user, FLY_NATS_URL: nats.url, SUBJECT: 'logs.only-this.>' },
      downstream,
    );
    running.push(r);
    await r.gateway.fly?.ready();
    await publisher.flush();
    publisher.publish('logs.other.sjc.1', flyJson('not subscribed', { app: 'other' }));
    publisher.publish('logs.only-this.sjc.1', flyJson('subscribed', { app: 'only-this' }));
    await eventually(() => downstream.records.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(downstream.records.map((x) => x.body)).toEqual(['subscribed']);
  });

  it('two gateways in one queue group deliver every message exactly once between them', async () => {
    const downstream = new OtlpReceiver();
    const a = await flyGateway({ FLY_QUEUE: 'otel-platform-errors' }, downstream);
    const b = await flyGateway({ FLY_QUEUE: 'otel-platform-errors' }, downstream);
    const count = 4000;
    for (let i = 0; i < count; i++) publisher.publish('logs.shop.sjc.0e286551c30586', flyJson(`request ${i}`));
    await publisher.flush();
    await eventually(() => downstream.records.length >= count, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bodies = downstream.records.map((x) => String(x.body));
    expect(bodies).toHaveLength(count);
    expect(new Set(bodies).size).toBe(count);
    const received = async (r: Running) =>
      Number(
        /platform_errors_gateway_records_received_total\{receiver="fly"\} ([0-9]+)/.exec(
          (await get(`${r.url}/metrics`)).body,
        )?.[1] ?? 0,
      );
    const [fromA, fromB] = [await received(a), await received(b)];
    expect(fromA + fromB).toBe(count);
    // Random member selection: with 4000 messages each gateway gets a real share.
    expect(Math.min(fromA, fromB)).toBeGreaterThan(count / 10);
  });

  it('survives a NATS restart: it reconnects by itself and later messages arrive', async () => {
    const r = await flyGateway();
    publisher.publish('logs.shop.sjc.0e286551c30586', flyJson('before the restart'));
    await eventually(() => r.downstream.records.length === 1);
    await nats.restart();
    // Both clients reconnect by themselves; what is published once both are back must arrive.
    await eventually(() => {
      publisher.publish('logs.shop.sjc.0e286551c30586', flyJson('after the restart'));
      return r.downstream.records.some((x) => x.body === 'after the restart');
    }, 15_000);
    const metrics = (await get(`${r.url}/metrics`)).body;
    expect(metrics).toMatch(/platform_errors_gateway_nats_events_total\{event="reconnect"\} [1-9]/);
  });

  it('holds records while the downstream fails, and delivers them when it is back', async () => {
    const downstream = new OtlpReceiver();
    await flyGateway({}, downstream);
    downstream.behaviour = { status: 503 };
    for (let i = 0; i < 50; i++) publisher.publish('logs.shop.sjc.0e286551c30586', flyJson(`held ${i}`));
    await publisher.flush();
    await eventually(() => downstream.requests.some((q) => q.status === 503), 10_000);
    downstream.behaviour = {};
    await eventually(() => downstream.records.length >= 50, 20_000);
    expect(new Set(downstream.records.map((x) => x.body)).size).toBe(50);
  });
});
