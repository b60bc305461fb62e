/**
 * The log records the benchmarks emit: ordinary application output that must pass through
 * untouched, one line per platform shape the processor recognises, and a deterministic mix.
 * Every matching line is checked against the processor before any timing (see checkCorpus).
 */

/** What `logger.emit()` receives: a body plus the record's own attributes. */
export interface Sample {
  body: string | Record<string, unknown>;
  attributes?: Record<string, string>;
}

const line = (body: string): { body: string } => ({ body });

/** Pads a line with ordinary words to an exact byte length (all lines are ASCII). */
function padTo(text: string, length: number): string {
  const filler = ' order=9912 items=3 warehouse=fra-2 carrier=dhl eta=2026-05-14 note="left at reception"';
  let out = text;
  while (out.length < length) out += filler;
  return out.slice(0, length);
}

/** Application output with no platform code, by shape: the rows of the hot-path targets and a few more. */
export const appLines = {
  /** A line of at most 64 bytes. */
  short64: line('GET /healthz 200 0.8ms ua=kube-probe/1.2 host=web-7d9f'),
  /** An ordinary line of about 110 bytes. */
  typical110: line(
    'Completed 200 OK in 45ms (Views: 12.3ms | ActiveRecord: 8.1ms) user=4821 path=/api/v1/orders/9912 ip=10.4.7.21',
  ),
  long1k: line(
    padTo('2026-05-11T14:59:02.431Z INFO  [orders] slow query took 812ms: SELECT o.id, o.total FROM orders o', 1024),
  ),
  jsonText: line(
    '{"level":30,"time":1715439542431,"pid":412,"hostname":"web-7d9f","reqId":"req-1f3a","req":{"method":"GET","url":"/api/v1/orders/9912"},"res":{"statusCode":200},"responseTime":12.4,"msg":"request completed"}',
  ),
  /** A structured body of 8 fields, as pino or a JSON logger bridge hands it over. */
  struct8: {
    body: {
      level: 'info',
      time: 1715439542431,
      pid: 412,
      hostname: 'web-7d9f',
      reqId: 'req-1f3a',
      statusCode: 200,
      responseTime: 12.4,
      msg: 'request completed',
    },
  },
  logfmt: line(
    'time=2026-05-11T14:59:02.431Z level=info msg="request completed" method=GET path=/api/v1/orders/9912 status=200 duration=12ms request_id=1f3a9c2e',
  ),
  /** An application error that shares words with platform codes ("Error ", a parenthesised number). */
  appError: line('ERROR Unhandled error in job SyncInvoices: Timeout waiting for lock (30000ms)'),
} satisfies Record<string, Sample>;

/** A short message with the 10 attributes an instrumented HTTP handler might log beside it. */
export const attributes10: Sample = {
  body: 'request completed',
  attributes: {
    'http.request.method': 'GET',
    'http.route': '/api/v1/orders/:id',
    'http.response.status_code': '200',
    'url.path': '/api/v1/orders/9912',
    'server.address': 'web-7d9f',
    'client.address': '10.4.7.21',
    'user.id': '4821',
    'session.id': 'f3a9c2e1',
    'request.id': 'req-1f3a',
    'duration.ms': '12.4',
  },
};

/** Long ordinary lines, by length in bytes: the default scan limit (16 KiB) covers all of them. */
export const LONG_LENGTHS = [2048, 8192, 16384] as const;
export const longLine = (length: number): Sample =>
  line(
    padTo('2026-05-11T14:59:02.431Z INFO  [orders] slow query took 812ms: SELECT o.id, o.total FROM orders o', length),
  );

/** One record per platform shape, each of which the processor must recognise. */
export const platformLines = {
  herokuRouter: line(
    '2010-10-06T21:51:37-07:00 heroku[router]: at=error code=H12 desc="Request timeout" method=GET path=/ host=myapp.herokuapp.com fwd=17.17.17.17 dyno=web.1 connect=6ms service=30001ms status=503 bytes=0',
  ),
  herokuR14: line('2011-05-03T17:40:11+00:00 heroku[worker.1]: Error R14 (Memory quota exceeded)'),
  flyText: line(
    '2026-05-11T14:59:01Z proxy[e2862692b79d68] sin [error][PM05] failed to connect to machine: gave up after 15 attempts (in 8.102201247s)',
  ),
  flyJson: {
    body: {
      event: { provider: 'proxy' },
      fly: { app: { instance: '683d92dce34dd8', name: 'todo-liveview' }, region: 'lhr' },
      log: { level: 'error' },
      message: '[PM05] failed to connect to machine: gave up after 15 attempts (in 8.398191653s)',
      timestamp: '2025-02-11T09:12:44.020114Z',
    },
  },
  cloudflareEvent: {
    body: {
      id: 1,
      timestamp: '2026-03-04T10:15:22Z',
      pool: { id: '17b5962d775c646f3f9725cbc7a53df4', name: 'eu-west', healthy: false, changed: true },
      origins: [
        {
          name: 'app-server-1',
          address: '203.0.113.10',
          enabled: true,
          healthy: false,
          changed: true,
          failure_reason: 'TCP connection failed',
        },
      ],
    },
  },
} satisfies Record<string, Sample>;

/** The code each platform line must yield. */
export const expectedCodes: Record<keyof typeof platformLines, string> = {
  herokuRouter: 'H12',
  herokuR14: 'R14',
  flyText: 'PM05',
  flyJson: 'PM05',
  cloudflareEvent: 'tcp-connection-failed',
};

/**
 * A realistic stream: one platform record in every 20 (5 %), the rest ordinary output. Built by a
 * fixed rotation, not randomly, so every run emits exactly the same sequence.
 */
export function mixedStream(length = 1000): Sample[] {
  const app = Object.values(appLines);
  const platform = Object.values(platformLines);
  const out: Sample[] = [];
  for (let i = 0; i < length; i++) {
    const pick = i % 20 === 19 ? platform[Math.floor(i / 20) % platform.length] : app[i % app.length];
    out.push(pick as Sample);
  }
  return out;
}

/** A string body rendered as one text line, the way a file-based tool (the CLI) sees it. */
export function asText(sample: Sample): string {
  return typeof sample.body === 'string' ? sample.body : JSON.stringify(sample.body);
}
