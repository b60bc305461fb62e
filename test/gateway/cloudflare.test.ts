/**
 * Cloudflare's three ways of reporting origin trouble, through a real gateway on loopback that
 * forwards over OTLP/HTTP to a real receiver: Logpush's HTTP destination, notification webhooks,
 * and the Load Balancing health-events API — polled from a local server that replays the
 * documented response shapes (ingest.md §5b), because the real API is not reachable from here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, get, post, type Running, startGateway } from '../helpers/gateway.ts';

const TOKEN = 'cf-shared-secret-42';
const bearer = { authorization: `Bearer ${TOKEN}` };

/** An http_requests record; `status`/`origin` make it Cloudflare-generated (origin 0) or not. */
function httpRequest(i: number, status = 200, origin = status) {
  return {
    ClientIP: '203.0.113.7',
    ClientRequestHost: 'shop.example.com',
    ClientRequestMethod: 'GET',
    ClientRequestURI: `/orders/${i}?page=2`,
    ClientRequestProtocol: 'HTTP/2',
    ClientRequestUserAgent: 'curl/8.5.0',
    EdgeColoCode: 'FRA',
    EdgeResponseStatus: status,
    EdgeStartTimestamp: 1506702504433000200 + i,
    OriginIP: origin === 0 ? '' : '198.51.100.4',
    OriginResponseStatus: origin,
    RayID: `7a1f7ad4df2f${String(i).padStart(4, '0')}`,
    ZoneName: 'example.com',
  };
}
const ndjson = (records: object[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;

describe('POST /cloudflare/logpush', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startGateway({ token: TOKEN, maxStreamBytes: 2 * 1024 * 1024 });
  });
  afterAll(() => running.stop());
  beforeEach(() => {
    running.downstream.records.length = 0;
    running.downstream.behaviour = {};
  });
  const push = (body: string | Buffer, headers: Record<string, string> = {}) =>
    post(`${running.url}/cloudflare/logpush?deployment.environment=prod`, body, {
      ...bearer,
      'content-type': 'application/x-ndjson',
      ...headers,
    });

  it('forwards the Cloudflare-generated 52x of a gzipped batch, tagged, with request fields under semantic conventions', async () => {
    // The origin's own 502 (OriginResponseStatus 502) is the origin's answer, not Cloudflare's: not forwarded.
    const records = [httpRequest(1), httpRequest(2, 522, 0), httpRequest(3, 404), httpRequest(4, 502, 502)];
    const answer = await push(gzipSync(ndjson(records)), { 'content-encoding': 'gzip' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ kind: 'delivered', records: 4, forwarded: 1, rejected: 0 });
    expect(running.downstream.records).toHaveLength(1);
    const [record] = running.downstream.records;
    expect(record?.attributes).toMatchObject({
      'error.type': '522',
      platform: 'cloudflare',
      'http.request.method': 'GET',
      'http.response.status_code': 522,
      'server.address': 'shop.example.com',
      'url.path': '/orders/2',
      'url.query': 'page=2',
      'network.protocol.name': 'http',
      'network.protocol.version': '2',
      'client.address': '203.0.113.7',
      'user_agent.original': 'curl/8.5.0',
      'cloudflare.ray_id': '7a1f7ad4df2f0002',
      'cloudflare.colo': 'FRA',
      'cloudflare.origin.status_code': 0,
    });
    expect(record?.resource).toMatchObject({
      'cloud.provider': 'cloudflare',
      'cloudflare.zone': 'example.com',
      'deployment.environment': 'prod',
    });
    expect(record?.severityText).toBe('ERROR');
    expect(record?.timeUnixNano?.slice(0, 13)).toBe('1506702504433');
    expect(record?.body).toMatchObject({ RayID: '7a1f7ad4df2f0002', EdgeResponseStatus: 522, OriginResponseStatus: 0 });
  });

  it('acknowledges the validation uploads without forwarding: gzipped {"content":"tests"} and a bare "test"', async () => {
    const gz = await push(gzipSync('{"content":"tests"}'), { 'content-encoding': 'gzip' });
    expect(gz.status).toBe(200);
    expect(JSON.parse(gz.body)).toEqual({ kind: 'validation' });
    // test.txt.gz may come without Content-Encoding: the gzip magic bytes say it.
    expect(JSON.parse((await push(gzipSync('{"content":"tests"}'))).body)).toEqual({ kind: 'validation' });
    expect(JSON.parse((await push('test')).body)).toEqual({ kind: 'validation' });
    expect(running.downstream.records).toHaveLength(0);
  });

  it('refuses a missing or wrong token with 401', async () => {
    expect((await post(`${running.url}/cloudflare/logpush`, 'test', {})).status).toBe(401);
    expect((await post(`${running.url}/cloudflare/logpush`, 'test', { authorization: 'Bearer nope' })).status).toBe(
      401,
    );
  });

  it('answers 400 for a corrupt gzip body and 413 for an oversized one, on the wire or once decompressed', async () => {
    const good = gzipSync(ndjson([httpRequest(1, 522, 0)]));
    const corrupt = Buffer.concat([good.subarray(0, 20), Buffer.from('not gzip at all'), good.subarray(20)]);
    expect((await push(corrupt, { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await push(Buffer.alloc(3 * 1024 * 1024, 0x7b))).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect((await push(bomb, { 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await push('x', { 'content-encoding': 'br' })).status).toBe(415);
  });

  it('skips a line that is not JSON (counted) and delivers the rest', async () => {
    const body = `${JSON.stringify(httpRequest(1, 530, 0))}\nnot json\n\n${JSON.stringify(httpRequest(2, 520, 0))}`;
    const answer = await push(body);
    expect(JSON.parse(answer.body)).toEqual({ kind: 'delivered', records: 2, forwarded: 2, rejected: 1 });
    expect(running.downstream.records.map((r) => r.attributes['error.type']).sort()).toEqual(['520', '530']);
    expect((await get(`${running.url}/metrics`)).body).toMatch(
      /platform_errors_gateway_records_rejected_total\{receiver="cloudflare_logpush",reason="not_json"\} 1/,
    );
  });

  it('answers a failing downstream with 503 and Retry-After, which Logpush retries', async () => {
    running.downstream.behaviour = { status: 500 };
    const answer = await push(ndjson([httpRequest(1, 522, 0)]));
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
  });

  it('streams a 100,000-record batch through in chunks', async () => {
    // Every 1000th record is a Cloudflare-generated 522; the body is 35 MB once decompressed.
    const records = Array.from({ length: 100_000 }, (_, i) =>
      i % 1000 === 0 ? httpRequest(i, 522, 0) : httpRequest(i),
    );
    const body = gzipSync(ndjson(records));
    const big = await startGateway({ token: TOKEN, maxStreamBytes: 64 * 1024 * 1024 });
    try {
      const answer = await post(`${big.url}/cloudflare/logpush`, body, { ...bearer, 'content-encoding': 'gzip' });
      expect(JSON.parse(answer.body)).toEqual({ kind: 'delivered', records: 100_000, forwarded: 100, rejected: 0 });
      expect(big.downstream.records).toHaveLength(100);
    } finally {
      await big.stop();
    }
  });

  it('forwards every record with --cloudflare-forward-all', async () => {
    const all = await startGateway({ token: TOKEN, cloudflare: { logpushForwardAll: true, poller: undefined } });
    try {
      const answer = await post(
        `${all.url}/cloudflare/logpush`,
        ndjson([httpRequest(1), httpRequest(2, 522, 0)]),
        bearer,
      );
      expect(JSON.parse(answer.body)).toMatchObject({ forwarded: 2 });
      expect(all.downstream.records).toHaveLength(2);
    } finally {
      await all.stop();
    }
  });
});

describe('POST /cloudflare/webhook', () => {
  let running: Running;
  beforeAll(async () => {
    running = await startGateway({ token: TOKEN });
  });
  afterAll(() => running.stop());
  beforeEach(() => {
    running.downstream.records.length = 0;
  });
  const notify = (payload: unknown, secret: string | null = TOKEN) =>
    post(`${running.url}/cloudflare/webhook`, JSON.stringify(payload), {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'cf-webhook-auth': secret }),
    });

  it('acknowledges the destination test message without forwarding it', async () => {
    const answer = await notify({ text: 'Hello World! This is a test message sent from https://cloudflare.com.' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('test message received\n');
    expect(running.downstream.records).toHaveLength(0);
  });

  it('turns a Load Balancing health alert into a tagged record', async () => {
    const answer = await notify({
      name: 'LB origin health',
      text: 'Origin app-1 in pool eu-west is Unhealthy',
      data: {
        new_health: 'Unhealthy',
        event_source: 'origin',
        pool_name: 'eu-west',
        origin_name: 'app-1',
        reason: 'TCP connection failed',
      },
      ts: 1764590000,
      account_id: '01a7362d577a6c3019a474fd6f485823',
      policy_name: 'LB origin health',
      alert_type: 'load_balancing_health_alert',
    });
    expect(answer.status).toBe(200);
    expect(running.downstream.records).toHaveLength(1);
    expect(running.downstream.records[0]?.attributes).toMatchObject({
      'error.type': 'tcp-connection-failed',
      platform: 'cloudflare',
      'cloudflare.notification.alert_type': 'load_balancing_health_alert',
    });
    expect(running.downstream.records[0]?.resource).toMatchObject({
      'cloud.account.id': '01a7362d577a6c3019a474fd6f485823',
    });
    expect(running.downstream.records[0]?.timeUnixNano).toBe('1764590000000000000');
  });

  it('refuses a missing or wrong cf-webhook-auth with 401, and a body that is not JSON with 400', async () => {
    expect((await notify({ text: 'x' }, null)).status).toBe(401);
    expect((await notify({ text: 'x' }, 'wrong')).status).toBe(401);
    const bad = await post(`${running.url}/cloudflare/webhook`, '{not json', { 'cf-webhook-auth': TOKEN });
    expect(bad.status).toBe(400);
  });
});

describe('Load Balancing health-events poller', () => {
  /** The replay server: pages of events as the API returns them, or a 429 when told. */
  let api: Server;
  let apiUrl: string;
  let pages: object[][] = [];
  let rateLimit: string | undefined;
  const requests: URL[] = [];
  let dir: string;

  const event = (id: number, timestamp: string, reason: string, healthy = false) => ({
    id,
    timestamp,
    pool: {
      id: '17b5962d775c646f3f9725cbc7a53df4',
      name: 'eu-west',
      healthy: false,
      changed: true,
      minimum_origins: 1,
    },
    origins: [
      {
        name: `app-${id}`,
        address: '203.0.113.10',
        ip: '203.0.113.10',
        enabled: true,
        healthy,
        changed: true,
        failure_reason: reason,
      },
      {
        name: 'app-ok',
        address: '203.0.113.11',
        enabled: true,
        healthy: true,
        changed: false,
        failure_reason: 'No failures',
      },
    ],
  });

  beforeAll(async () => {
    api = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://api');
      requests.push(url);
      if (req.headers.authorization !== 'Bearer cf-api-token') {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ success: false, errors: [{ code: 9109, message: 'Invalid access token' }] }));
        return;
      }
      if (rateLimit !== undefined) {
        res.writeHead(429, { 'retry-after': rateLimit, 'content-type': 'application/json' });
        res.end(JSON.stringify({ success: false, errors: [{ code: 10000, message: 'Rate limited' }] }));
        return;
      }
      const page = Number(url.searchParams.get('page') ?? 1);
      const result = pages[page - 1] ?? [];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          success: true,
          errors: [],
          messages: [],
          result,
          result_info: {
            page,
            per_page: 50,
            count: result.length,
            total_count: pages.flat().length,
            total_pages: pages.length,
          },
        }),
      );
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/client/v4`;
    dir = mkdtempSync(path.join(tmpdir(), 'poller-'));
  });
  afterAll(async () => {
    api.closeAllConnections();
    await new Promise((resolve) => api.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  const gateways: Running[] = [];
  afterEach(async () => {
    for (const g of gateways.splice(0)) await g.stop();
    rateLimit = undefined;
    requests.length = 0;
  });

  async function pollerGateway(stateFile?: string): Promise<Running> {
    const g = await startGateway(
      {},
      {
        CLOUDFLARE_API_TOKEN: 'cf-api-token',
        CLOUDFLARE_ACCOUNT_ID: 'acc-1',
        CLOUDFLARE_API_BASE_URL: apiUrl,
        CLOUDFLARE_POLL_INTERVAL: '3600',
        ...(stateFile ? { CLOUDFLARE_STATE_FILE: stateFile } : {}),
      },
    );
    gateways.push(g);
    return g;
  }
  const now = () => new Date().toISOString();

  it('reads every page, emits each unhealthy origin once, and nothing twice across polls', async () => {
    pages = [
      [event(1, now(), 'TCP connection failed'), event(2, now(), 'HTTP timeout occurred')],
      [event(3, now(), 'Response code mismatch error')],
    ];
    const g = await pollerGateway();
    await g.gateway.healthEvents?.poll();
    await eventually(() => g.downstream.records.length === 3);
    expect(g.downstream.records.map((r) => r.attributes['error.type']).sort()).toEqual([
      'http-timeout-occurred',
      'response-code-mismatch-error',
      'tcp-connection-failed',
    ]);
    expect(
      g.downstream.records.find((r) => r.attributes['cloudflare.lb.origin.name'] === 'app-1')?.attributes,
    ).toMatchObject({
      'cloudflare.lb.pool.name': 'eu-west',
      'cloudflare.lb.pool.id': '17b5962d775c646f3f9725cbc7a53df4',
      'cloudflare.lb.origin.address': '203.0.113.10',
      'cloudflare.lb.event.id': '1',
    });
    expect(requests.some((u) => u.pathname === '/client/v4/accounts/acc-1/load_balancing_analytics/events')).toBe(true);
    expect(requests.some((u) => u.searchParams.get('page') === '2')).toBe(true);
    // The same events listed again: nothing new.
    await g.gateway.healthEvents?.poll();
    expect(g.downstream.records).toHaveLength(3);
    pages = [[...(pages[0] ?? []), event(4, now(), 'TLS untrusted certificate error')], pages[1] ?? []];
    await g.gateway.healthEvents?.poll();
    await eventually(() => g.downstream.records.length === 4);
  });

  it('does not emit an event again after a restart when a state file is given', async () => {
    const stateFile = path.join(dir, 'state.json');
    pages = [[event(10, now(), 'TCP connection failed')]];
    const first = await pollerGateway(stateFile);
    await first.gateway.healthEvents?.poll();
    await eventually(() => first.downstream.records.length === 1);
    await first.stop();
    gateways.splice(gateways.indexOf(first), 1);
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).seen).toEqual([expect.objectContaining({ id: '10' })]);
    const second = await pollerGateway(stateFile);
    await second.gateway.healthEvents?.poll();
    expect(second.downstream.records).toHaveLength(0);
  });

  it('honours Retry-After on a 429 and counts it', async () => {
    pages = [[event(20, now(), 'TCP connection failed')]];
    rateLimit = '120';
    const g = await pollerGateway();
    expect(await g.gateway.healthEvents?.poll()).toBe(3600);
    rateLimit = '7200';
    expect(await g.gateway.healthEvents?.poll()).toBe(7200);
    expect(g.downstream.records).toHaveLength(0);
    expect((await get(`${g.url}/metrics`)).body).toMatch(
      /platform_errors_gateway_polls_total\{receiver="cloudflare_health_events",outcome="rate_limited"\} [2-9]/,
    );
    rateLimit = undefined;
    await g.gateway.healthEvents?.poll();
    await eventually(() => g.downstream.records.length === 1);
  });
});
