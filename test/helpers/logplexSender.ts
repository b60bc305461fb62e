/**
 * A sender that behaves like Logplex towards an HTTPS drain (heroku/logplex
 * logplex_http_drain.erl): a few keep-alive connections, one request in flight on each, the same
 * Logplex-Frame-Id on every retry, up to 3 attempts on 5xx, 429, timeouts and connection errors,
 * a short randomised backoff, and the batch dropped after the last attempt.
 */
import { Agent, request } from 'node:http';
import { frame, logplexLine } from './gateway.ts';

export interface SenderResult {
  /** Lines whose request was answered 2xx. */
  acknowledged: Set<string>;
  /** Lines of batches that needed more than one attempt (their duplicates are legitimate). */
  retried: Set<string>;
  /** Lines given up after the last attempt. */
  dropped: Set<string>;
  /** Answers other than 2xx seen, by status (0 for a connection error or timeout). */
  failures: Map<number, number>;
}

interface Options {
  connections?: number;
  attempts?: number;
  timeoutMillis?: number;
  headers?: Record<string, string>;
  /** Stop sending new batches (the ones in flight finish) when this returns true. */
  stopWhen?: () => boolean;
}

function send(
  url: string,
  agent: Agent,
  body: string,
  headers: Record<string, string>,
  timeout: number,
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent, headers, timeout }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Sends the batches (each a list of unique message texts) and reports what happened to every line. */
export async function sendLikeLogplex(url: string, batches: string[][], options: Options = {}): Promise<SenderResult> {
  const { connections = 4, attempts = 3, timeoutMillis = 5000, headers = {}, stopWhen = () => false } = options;
  const result: SenderResult = { acknowledged: new Set(), retried: new Set(), dropped: new Set(), failures: new Map() };
  const queue = batches.map((lines, i) => ({ lines, id: `FRAME${String(i).padStart(27, '0')}` }));
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const worker = async () => {
    for (let batch = queue.shift(); batch !== undefined && !stopWhen(); batch = queue.shift()) {
      const body = batch.lines.map((line) => frame(logplexLine(line, 'web.1', 'app', 190))).join('');
      const requestHeaders = {
        'content-type': 'application/logplex-1',
        'logplex-msg-count': String(batch.lines.length),
        'logplex-frame-id': batch.id,
        ...headers,
      };
      let delivered = false;
      for (let attempt = 1; attempt <= attempts && !delivered; attempt++) {
        if (attempt > 1) {
          for (const line of batch.lines) result.retried.add(line);
          const slot = 2 ** (1 + Math.floor(Math.random() * Math.min(10, attempt))) - 1;
          await new Promise((r) => setTimeout(r, 10 * slot));
        }
        const status = await send(url, agent, body, requestHeaders, timeoutMillis);
        delivered = status >= 200 && status < 300;
        if (!delivered) result.failures.set(status, (result.failures.get(status) ?? 0) + 1);
      }
      for (const line of batch.lines) (delivered ? result.acknowledged : result.dropped).add(line);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return result;
}

/** `count` batches of `size` unique lines. */
export function batchesOf(count: number, size: number, prefix = 'line'): string[][] {
  return Array.from({ length: count }, (_, b) => Array.from({ length: size }, (_, i) => `${prefix} ${b}-${i}`));
}
