/**
 * POST /heroku, Logplex HTTPS drains and log-shuttle: a real gateway on loopback forwarding over
 * OTLP/HTTP (the OTel exporter) to a real receiver. Bodies are the reference test vectors
 * (ingest.md TV-H1…TV-H5, from the Logplex docs, Promtail, Vector and Logplex issue #105) and the
 * peers' checklist: framing, counts, headers, duplicates, auth, limits, encodings, fuzzed bodies.
 */
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { frame, get, logplexLine, post, type Running, startGateway } from '../helpers/gateway.ts';

let running: Running;
const TOKEN = 'drain-secret-7f3a';
const auth = { authorization: `Basic ${Buffer.from(`logplex:${TOKEN}`).toString('base64')}` };

beforeAll(async () => {
  running = await startGateway({ token: TOKEN, maxBodyBytes: 256 * 1024, maxDecompressedBytes: 1024 * 1024 });
});
afterAll(() => running.stop());
beforeEach(() => {
  running.downstream.records.length = 0;
  running.downstream.behaviour = {};
});

const drain = (body: string | Buffer, headers: Record<string, string> = {}, query = '') =>
  post(`${running.url}/heroku${query}`, body, { ...auth, ...headers });
const bodies = () => running.downstream.records.map((r) => r.body);
async function metric(name: string): Promise<string[]> {
  const text = (await get(`${running.url}/metrics`)).body;
  return text.split('\n').filter((l) => l.startsWith(name));
}

describe('framing (RFC 6587 octet counting as Logplex sends it)', () => {
  it('TV-H1: ten frames of the Logplex docs, the newline inside each count', async () => {
    const one = '70 <174>1 2012-07-22T00:06:26+00:00 host erlang console - Hi from erlang\n';
    const body = one.repeat(10);
    expect(Buffer.byteLength(body)).toBe(730);
    const answer = await drain(body, {
      'logplex-msg-count': '10',
      'logplex-frame-id': '09C557EAFCFB6CF2740EE62F62971098',
      'logplex-drain-token': 'd.fc6b856b-3332-4546-93de-7d0ee272c3bd',
      'user-agent': 'Logplex/v49',
    });
    expect(answer.status).toBe(204);
    expect(bodies()).toEqual(Array(10).fill('Hi from erlang'));
    expect(running.downstream.records[0]?.attributes).toMatchObject({
      'syslog.appname': 'erlang',
      'syslog.procid': 'console',
      'heroku.logplex.drain_token': 'd.fc6b856b-3332-4546-93de-7d0ee272c3bd',
    });
    expect(running.downstream.records[0]?.timeUnixNano).toBe('1342915586000000000');
  });

  it('TV-H2: lengths count bytes, not characters (µ is two bytes in UTF-8)', async () => {
    const tv =
      '156 <190>1 2022-06-13T14:52:23.827271+00:00 host app web.1 - [GIN] 2022/06/13 - 14:52:23 | 200 |      163.92µs |  181.167.87.140 | GET      "/static/main.css"\n';
    const next = frame(logplexLine('after the µ frame', 'web.1', 'app', 190));
    expect((await drain(tv + next)).status).toBe(204);
    expect(bodies()).toEqual([
      '[GIN] 2022/06/13 - 14:52:23 | 200 |      163.92µs |  181.167.87.140 | GET      "/static/main.css"',
      'after the µ frame',
    ]);
    expect(running.downstream.records[0]?.timeUnixNano).toBe('1655131943827271000');
  });

  it('TV-H4: an L10 frame without a newline, glued to the next one, and the loss it reports is counted', async () => {
    const before = await metric('platform_errors_gateway_platform_reported_loss_total');
    const tv =
      '142 <172>1 2014-11-11T08:24:25+00:00 host heroku logplex - Error L10 (output buffer overflow): 1 messages dropped since 2014-11-07T23:29:45+00:00.93 <45>1 2014-11-11T08:24:24.064853+00:00 host heroku web.1 - State changed from starting to up\n';
    expect((await drain(tv, { 'logplex-msg-count': '2' })).status).toBe(204);
    expect(bodies()).toEqual([
      'Error L10 (output buffer overflow): 1 messages dropped since 2014-11-07T23:29:45+00:00.',
      'State changed from starting to up',
    ]);
    const [l10, state] = running.downstream.records;
    expect(l10?.attributes).toMatchObject({ 'error.type': 'L10', platform: 'heroku', category: 'logging' });
    // <45> would be syslog "notice"/<40> "emergency": the PRI is kept as an attribute, never as the severity.
    expect(state?.severityNumber ?? 0).toBe(0);
    expect(state?.attributes['syslog.severity']).toBe(5);
    expect(before).not.toEqual(await metric('platform_errors_gateway_platform_reported_loss_total'));
    expect(
      (await metric('platform_errors_gateway_platform_reported_loss_total{platform="heroku",code="L10"}'))[0],
    ).toMatch(/ [1-9][0-9]*$/);
  });

  it('TV-H5: a Heroku Postgres metrics frame of exactly its length, without a newline', async () => {
    const message =
      '<134>1 2016-02-13T21:20:25+00:00 host app heroku-postgres - source=DATABASE sample#current_transaction=1873 sample#db_size=7989356bytes';
    expect((await drain(`${Buffer.byteLength(message)} ${message}`)).status).toBe(204);
    expect(bodies()).toEqual(['source=DATABASE sample#current_transaction=1873 sample#db_size=7989356bytes']);
    expect(running.downstream.records[0]?.attributes['syslog.procid']).toBe('heroku-postgres');
  });

  it('TV-H3: a router line, the severity from at=, and the code enriched', async () => {
    const tv =
      '267 <158>1 2020-01-08T22:33:57.353034+00:00 host heroku router - at=info method=GET path="/cart_link" host=lumberjack-store.timber.io request_id=05726858-c44e-4f94-9a20-37df73be9006 fwd="73.75.38.87" dyno=web.1 connect=1ms service=22ms status=304 bytes=656 protocol=http\n';
    const h12 = frame(
      logplexLine(
        'at=error code=H12 desc="Request timeout" method=GET path="/" host=shop.herokuapp.com dyno=web.1 connect=1ms service=30000ms status=503 bytes=0',
      ),
    );
    expect((await drain(tv + h12)).status).toBe(204);
    const [info, error] = running.downstream.records;
    expect(info?.severityNumber).toBe(9);
    expect(info?.attributes['error.type']).toBeUndefined();
    expect(error?.severityNumber).toBe(17);
    expect(error?.attributes).toMatchObject({ 'error.type': 'H12', category: 'timeout', platform_fault: false });
  });

  it('log-shuttle (Private Spaces): `- -` after the procid, no Frame-Id or Drain-Token, X-Request-Id', async () => {
    const line = '<190>1 2026-11-30T10:00:00.5+00:00 host app web.1 - - Error R14 (Memory quota exceeded)\n';
    const answer = await drain(frame(line), {
      'x-request-id': 'b2b5e1f2-0000-4000-8000-000000000001',
      'logplex-msg-count': '1',
    });
    expect(answer.status).toBe(204);
    expect(bodies()).toEqual(['Error R14 (Memory quota exceeded)']);
    expect(running.downstream.records[0]?.attributes).toMatchObject({ 'error.type': 'R14', 'syslog.procid': 'web.1' });
    // R14's catalog severity is error; the syslog PRI (info) is not used.
    expect(running.downstream.records[0]?.severityNumber).toBe(17);
  });

  it('the Labs layout (token in the procid) and a count miscounted by one still deliver every frame', async () => {
    const labs =
      '120 <40>1 2012-11-30T06:45:29+00:00 heroku web.3 d.73ea7440-270a-435a-a0ea-adf50b4e5f5a - State changed from starting to up\n';
    const relay = '83 <40>1 2012-11-30T06:45:29+00:00 host app web.3 - State changed from starting to up\n';
    const after = frame(logplexLine('the frame after', 'web.3', 'app', 190));
    expect((await drain(labs + relay + after)).status).toBe(204);
    expect(bodies()[0]).toBe('State changed from starting to up');
    expect(bodies()).toContain('the frame after');
    expect(running.downstream.records[0]?.attributes['syslog.procid']).toBe('d.73ea7440-270a-435a-a0ea-adf50b4e5f5a');
  });

  it.each([
    ['a non-numeric length', 'abc <158>1 broken\n'],
    ['a leading space (ignored) and a length of zero', ' 0 '],
    [
      'a declared length past the end',
      '1000000 <158>1 2026-11-30T10:00:00+00:00 host heroku router - at=info cut short',
    ],
    ['no length at all', '<158>1 2026-11-30T10:00:00+00:00 host heroku router - at=info no length\n'],
  ])('%s costs only itself: the good frames around it arrive, the bad one is counted', async (_name, bad) => {
    const good = (n: number) => frame(logplexLine(`good frame ${n}`, 'web.1', 'app', 190));
    const answer = await drain(good(1) + bad + good(2));
    expect(answer.status).toBe(204);
    expect(bodies().filter((b) => String(b).startsWith('good frame'))).toEqual(['good frame 1', 'good frame 2']);
    expect(await metric('platform_errors_gateway_records_rejected_total{receiver="heroku"')).not.toEqual([]);
  });

  it('a frame longer than the line cap (64 KiB) is dropped and counted, the rest delivered', async () => {
    const huge = frame(logplexLine('x'.repeat(70 * 1024), 'web.1', 'app'));
    const small = frame(logplexLine('small', 'web.1', 'app'));
    expect((await drain(huge + small)).status).toBe(204);
    expect(bodies()).toEqual(['small']);
    expect(
      await metric('platform_errors_gateway_records_rejected_total{receiver="heroku",reason="too_long"}'),
    ).not.toEqual([]);
  });

  it('a 10,000-byte dyno chunk (Heroku splits longer lines) passes whole', async () => {
    const text = 'y'.repeat(10_000);
    expect((await drain(frame(logplexLine(text, 'web.1', 'app')))).status).toBe(204);
    expect(bodies()).toEqual([text]);
  });

  it('a Logplex-Msg-Count that differs from the frames is a soft error: delivered, and counted', async () => {
    const answer = await drain(frame(logplexLine('only one', 'web.1', 'app')), { 'logplex-msg-count': '3' });
    expect(answer.status).toBe(204);
    expect(bodies()).toEqual(['only one']);
    expect((await metric('platform_errors_gateway_logplex_count_mismatches_total'))[0]).toMatch(/ [1-9][0-9]*$/);
  });

  it('an empty body is acknowledged with nothing forwarded', async () => {
    expect((await drain('')).status).toBe(204);
    expect(bodies()).toEqual([]);
  });
});

describe('log-shuttle (what a real Private Space sender showed)', () => {
  it('counts a loss it reports in a header and again in an L13 line once', async () => {
    const line = (n: string) => Number(/ ([0-9]+)$/.exec(n)?.[1] ?? 0);
    const key = 'platform_errors_gateway_platform_reported_loss_total{platform="heroku",code="L13"}';
    const before = line((await metric(key))[0] ?? '');
    const l13 = frame(
      '<172>1 2026-12-01T07:30:48.561368+00:00 heroku token log-shuttle - - Error L13: 2 messages lost since 2026-12-01T07:30:08.164921+00:00\n',
    );
    expect((await drain(l13, { 'logplex-lost-count': '2' })).status).toBe(204);
    expect(line((await metric(key))[0] ?? '') - before).toBe(2);
  });

  it('does not forward the shared secret where log-shuttle writes its token (APP-NAME)', async () => {
    const line = `<190>1 2026-12-01T07:28:33.026328+00:00 shuttle ${TOKEN} shuttle - - ordinary line\r\n`;
    expect((await drain(frame(line))).status).toBe(204);
    expect(running.downstream.records[0]?.attributes['syslog.appname']).toBe('[redacted]');
    expect(JSON.stringify(running.downstream.records)).not.toContain(TOKEN);
    // CRLF input: the CR goes with the newline.
    expect(bodies()).toEqual(['ordinary line']);
  });
});

describe('resource and attributes', () => {
  it('the drain URL’s query parameters become resource attributes, with cloud.provider=heroku', async () => {
    const answer = await drain(frame(logplexLine('hello')), {}, '?service.name=shop&deployment.environment=prod');
    expect(answer.status).toBe(204);
    expect(running.downstream.records[0]?.resource).toEqual({
      'service.name': 'shop',
      'deployment.environment': 'prod',
      'cloud.provider': 'heroku',
    });
    expect(running.downstream.records[0]?.scope.name).toBe('otel-platform-errors.gateway.heroku');
  });
});

describe('retries and duplicates', () => {
  it('a retry with a Logplex-Frame-Id already delivered is acknowledged without forwarding twice', async () => {
    const body = frame(logplexLine('at=error code=H13 desc="Connection closed without response" status=503'));
    const headers = { 'logplex-frame-id': 'A1B2C3D4E5F60718293A4B5C6D7E8F90', 'logplex-msg-count': '1' };
    expect((await drain(body, headers)).status).toBe(204);
    expect((await drain(body, headers)).status).toBe(204);
    expect(bodies()).toHaveLength(1);
    expect((await metric('platform_errors_gateway_duplicates_total{receiver="heroku"}'))[0]).toMatch(/ [1-9][0-9]*$/);
  });

  it('a frame id whose delivery failed is forwarded again on the retry', async () => {
    const body = frame(logplexLine('retried after a failure'));
    const headers = { 'logplex-frame-id': 'FFEEDDCCBBAA99887766554433221100' };
    running.downstream.behaviour = { status: 400 };
    expect((await drain(body, headers)).status).toBe(503);
    running.downstream.behaviour = {};
    expect((await drain(body, headers)).status).toBe(204);
    expect(bodies()).toEqual(['retried after a failure']);
  });
});

describe('authentication', () => {
  const body = frame(logplexLine('secret'));
  it('accepts the token as the basic-auth password (any user) and as a bearer token', async () => {
    expect(
      (
        await post(`${running.url}/heroku`, body, {
          authorization: `Basic ${Buffer.from(`any-user:${TOKEN}`).toString('base64')}`,
        })
      ).status,
    ).toBe(204);
    expect((await post(`${running.url}/heroku`, body, { authorization: `Bearer ${TOKEN}` })).status).toBe(204);
  });

  it.each([
    ['missing', {}],
    ['wrong password', { authorization: `Basic ${Buffer.from('logplex:nope').toString('base64')}` }],
    ['wrong bearer', { authorization: 'Bearer nope' }],
    ['token as user name', { authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}` }],
  ])('%s credentials get 401 and nothing is forwarded', async (_name, headers) => {
    const answer = await post(`${running.url}/heroku`, body, headers);
    expect(answer.status).toBe(401);
    expect(bodies()).toEqual([]);
  });
});

describe('limits and encodings', () => {
  it('413 for a body over the cap, on the wire and once decompressed (a gzip bomb)', async () => {
    expect((await drain('x'.repeat(300 * 1024))).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x41));
    expect(bomb.length).toBeLessThan(256 * 1024);
    expect((await drain(bomb, { 'content-encoding': 'gzip' })).status).toBe(413);
  });

  it('gzip bodies are decompressed; a corrupt one gets 400; an unknown encoding 415', async () => {
    const body = gzipSync(frame(logplexLine('compressed')));
    expect((await drain(body, { 'content-encoding': 'gzip' })).status).toBe(204);
    expect(bodies()).toEqual(['compressed']);
    expect((await drain(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await drain(frame(logplexLine('zstd?')), { 'content-encoding': 'br' })).status).toBe(415);
  });

  it('answers 404 for unknown paths and 405 for the wrong method', async () => {
    expect((await post(`${running.url}/nope`, '', auth)).status).toBe(404);
    expect((await get(`${running.url}/heroku`)).status).toBe(405);
  });
});

describe('the downstream', () => {
  it('failing: 503 with Retry-After, well inside Logplex’s 5 s, never another 4xx; readiness turns false, then back', async () => {
    running.downstream.behaviour = { status: 400 };
    const started = Date.now();
    const answer = await drain(frame(logplexLine('will fail')));
    expect(Date.now() - started).toBeLessThan(4500);
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toMatch(/^[0-9]+$/);
    expect((await get(`${running.url}/readyz`)).status).toBe(503);
    running.downstream.behaviour = {};
    expect((await drain(frame(logplexLine('works again')))).status).toBe(204);
    expect((await get(`${running.url}/readyz`)).status).toBe(200);
    expect((await get(`${running.url}/healthz`)).status).toBe(200);
  });

  it('slower than the ack timeout: 503 before the timeout Logplex applies', async () => {
    const slow = await startGateway({ ackTimeoutMillis: 300 });
    slow.downstream.behaviour = { delayMillis: 2000 };
    const started = Date.now();
    const answer = await post(`${slow.url}/heroku`, frame(logplexLine('slow')));
    expect(answer.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(1500);
    slow.downstream.behaviour = {};
    await slow.stop();
  });

  it('a full queue answers 429 with Retry-After instead of holding more', async () => {
    const small = await startGateway({ maxQueueRecords: 4, maxBatchRecords: 4, ackTimeoutMillis: 3000 });
    small.downstream.behaviour = { delayMillis: 500 };
    const four = Array.from({ length: 4 }, (_, i) => frame(logplexLine(`r${i}`))).join('');
    const first = post(`${small.url}/heroku`, four);
    await new Promise((r) => setTimeout(r, 100));
    const second = await post(`${small.url}/heroku`, frame(logplexLine('one too many')));
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBeDefined();
    expect((await first).status).toBe(204);
    small.downstream.behaviour = {};
    await small.stop();
  });
});

describe('operations', () => {
  it('exposes Prometheus metrics: records in and out, matches by code, queue depth', async () => {
    await drain(frame(logplexLine('at=error code=H10 desc="App crashed" status=503')));
    const text = (await get(`${running.url}/metrics`)).body;
    expect(text).toMatch(/platform_errors_gateway_records_received_total\{receiver="heroku"\} [1-9]/);
    expect(text).toMatch(/platform_errors_gateway_records_forwarded_total [1-9]/);
    expect(text).toMatch(
      /platform_errors_gateway_codes_matched_total\{platform="heroku",code="H10",platform_fault="false"\} 1/,
    );
    expect(text).toContain('platform_errors_gateway_queue_records 0');
    expect(text).toContain('platform_errors_gateway_process_resident_memory_bytes');
  });

  it('recycles a connection after its maximum age with Connection: close', async () => {
    const young = await startGateway({ connectionMaxAgeSeconds: 0 });
    const answer = await post(`${young.url}/heroku`, frame(logplexLine('old connection')));
    expect(answer.headers.connection).toBe('close');
    await young.stop();
  });
});

describe('fuzzed bodies', () => {
  it('never crash the gateway: every answer is 204, 400 or 413, and it keeps serving', async () => {
    const fragments = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('70 ', '<158>1 ', 'host heroku router - ', '\n', ' ', '999999999 ', '0 ', '12 <', 'µ'),
      fc.nat(400).map((n) => `${n} `),
      fc.constant(frame(logplexLine('at=error code=H12 desc="Request timeout"'))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fragments, { maxLength: 40 }), async (parts) => {
        const answer = await drain(parts.join(''));
        return [204, 400, 413].includes(answer.status);
      }),
      { numRuns: 300 },
    );
    expect((await get(`${running.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
