/**
 * What a busy Heroku app's drain carries: router lines for every request (most `at=info`), the
 * app's own output, and about 5 % platform errors (router H12/H13, R14, L10). Each message is a
 * full RFC 5424 line as Logplex writes it; `frame` adds the octet count.
 */

const ROUTER_INFO =
  'at=info method=GET path="/api/v1/orders/9912" host=shop.herokuapp.com request_id=6a1b2c3d-4e5f-4a6b-8c9d-0e1f2a3b4c5d fwd="203.0.113.7" dyno=web.1 connect=0ms service=23ms status=200 bytes=1842 protocol=https';
const ROUTER_H12 =
  'at=error code=H12 desc="Request timeout" method=GET path="/reports" host=shop.herokuapp.com request_id=7b2c3d4e-5f6a-4b7c-9d0e-1f2a3b4c5d6e fwd="203.0.113.9" dyno=web.2 connect=1ms service=30000ms status=503 bytes=0 protocol=https';
const ROUTER_H13 =
  'at=error code=H13 desc="Connection closed without response" method=POST path="/checkout" host=shop.herokuapp.com request_id=8c3d4e5f-6a7b-4c8d-0e1f-2a3b4c5d6e7f fwd="203.0.113.4" dyno=web.1 connect=0ms service=812ms status=503 bytes=0 protocol=https';
const APP =
  'I, [2026-11-30T10:00:00.123456 #4] INFO -- : Completed 200 OK in 23ms (Views: 9.1ms | ActiveRecord: 6.2ms)';
const APP_JSON =
  '{"level":"info","time":"2026-11-30T10:00:00.123Z","msg":"order placed","order_id":9912,"items":3,"total_cents":4599}';
const R14 = 'Error R14 (Memory quota exceeded)';
const L10 = "Error L10 (output buffer overflow): drain 'd.8f1c' dropped 112 messages since 2026-11-30T09:59:58+00:00.";

/** [message, procid, appname] by share: 20 lines, one of them a platform error. */
const MIX: Array<[string, string, string]> = [
  ...Array.from({ length: 10 }, (): [string, string, string] => [ROUTER_INFO, 'router', 'heroku']),
  ...Array.from({ length: 6 }, (): [string, string, string] => [APP, 'web.1', 'app']),
  ...Array.from({ length: 3 }, (): [string, string, string] => [APP_JSON, 'worker.1', 'app']),
  [ROUTER_H12, 'router', 'heroku'],
];
/** The rarer platform errors take the error slot in turn. */
const ERRORS: Array<[string, string, string]> = [
  [ROUTER_H12, 'router', 'heroku'],
  [ROUTER_H13, 'router', 'heroku'],
  [R14, 'web.1', 'heroku'],
  [L10, 'logplex', 'heroku'],
];

/** The i-th line of the stream, as Logplex frames it. */
export function drainFrame(i: number): string {
  const slot = i % MIX.length;
  const [message, procid, appname] =
    slot === MIX.length - 1
      ? (ERRORS[Math.floor(i / MIX.length) % ERRORS.length] as [string, string, string])
      : (MIX[slot] as [string, string, string]);
  const line = `<158>1 2026-11-30T10:00:00.${String(i % 1_000_000).padStart(6, '0')}+00:00 host ${appname} ${procid} - ${message}\n`;
  return `${Buffer.byteLength(line)} ${line}`;
}

/** Share of the stream that holds a platform code. */
export const ERROR_SHARE = 1 / MIX.length;
