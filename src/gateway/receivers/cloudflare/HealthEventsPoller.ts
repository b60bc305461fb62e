import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { isPlainObject } from '../../../core/recognisers/fields.ts';
import type { GatewayLog } from '../../log.ts';
import type { GatewayMetrics } from '../../metrics.ts';
import { GatewayLogRecord, hrTimeFromRfc3339, nowHrTime, type Scope } from '../../pipeline/GatewayLogRecord.ts';
import type { Pipeline } from '../../pipeline/Pipeline.ts';

/*
 * Cloudflare Load Balancing health events (GET …/load_balancing_analytics/events): each result
 * is a status change of a pool, with its origins,
 *   {"id":1,"timestamp":"2026-03-04T10:15:22Z","pool":{"id":"…","name":"eu-west","healthy":false,…},
 *    "origins":[{"name":"app-1","address":"203.0.113.10","healthy":false,"failure_reason":"TCP connection failed",…}]}
 * Every unhealthy origin becomes one record. The API is polled; there is nothing to push to.
 */

/** Where and how often to poll (CLOUDFLARE_* variables, see config.ts). */
export interface HealthEventsPollerOptions {
  token: string;
  /** With an account, the account-level endpoint; without, the user-level one. */
  accountId: string | undefined;
  /** @default https://api.cloudflare.com/client/v4 */
  baseUrl: string;
  /** @default 60 */
  intervalSeconds: number;
  /** Where the poller keeps what it has emitted, so a restart does not emit it again. */
  stateFile: string | undefined;
}

/** What the poller remembers: the newest event time emitted, and the ids emitted since `since` − overlap. */
interface PollState {
  since: string;
  seen: Array<{ id: string; timestamp: string }>;
}

const RECEIVER = 'cloudflare_health_events';
const SCOPE: Scope = { name: 'otel-platform-errors.gateway.cloudflare.health_events' };
const RESOURCE = resourceFromAttributes({ 'cloud.provider': 'cloudflare' });
/** Events are asked for again this far back, in case one is listed late; their ids keep them from repeating. */
const OVERLAP_MS = 5 * 60_000;
const PER_PAGE = 50;
const MAX_PAGES = 100;
/** Longest pause after failures, and after a 429 without Retry-After. */
const MAX_BACKOFF_SECONDS = 300;
const DELIVERY_TIMEOUT_MS = 30_000;

type Json = Record<string, unknown>;
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** A rate limit: the API's 429 and how long it asked to wait. */
class RateLimited extends Error {
  constructor(readonly retryAfterSeconds: number | undefined) {
    super('rate limited (429)');
  }
}

/**
 * Polls the health-events API on an interval and forwards each unhealthy origin with its
 * `failure_reason` as a tagged record (pool and origin as attributes). No event is emitted twice:
 * events are asked for since the newest one emitted (minus an overlap, deduplicated by id), and
 * with a state file this holds across restarts. The cursor moves only after the downstream took
 * the records, so a failed delivery is fetched and sent again on the next poll. A 429 waits for
 * its Retry-After; other failures back off up to five minutes.
 */
export class HealthEventsPoller {
  private _state: PollState;
  private _timer: NodeJS.Timeout | undefined;
  private _running: Promise<void> | undefined;
  private _current: Promise<number> | undefined;
  private readonly _abort = new AbortController();
  private _failures = 0;
  private _stopped = false;

  constructor(
    private readonly _options: HealthEventsPollerOptions,
    private readonly _pipeline: Pipeline,
    private readonly _metrics: GatewayMetrics,
    private readonly _log: GatewayLog,
    private readonly _now: () => number = Date.now,
  ) {
    this._state = this._load() ?? {
      // A first start looks one interval back, so a gap between deployments is covered.
      since: new Date(this._now() - _options.intervalSeconds * 1000).toISOString(),
      seen: [],
    };
  }

  /** Polls now, then every interval (or later, as failures and rate limits say). */
  start(): void {
    this._schedule(0);
  }

  /**
   * One poll: every page of events since the cursor, forwarded; resolves with the seconds to wait
   * before the next. A call during a poll joins it: polls never overlap.
   */
  poll(): Promise<number> {
    this._current ??= this._poll().finally(() => {
      this._current = undefined;
    });
    return this._current;
  }

  private async _poll(): Promise<number> {
    const interval = this._options.intervalSeconds;
    try {
      const events = await this._fetchAll();
      const fresh = events.filter((e) => !this._state.seen.some((s) => s.id === e.id));
      const records = fresh.flatMap((event) => this._records(event.raw));
      if (records.length > 0) await this._pipeline.accept(RECEIVER, records, DELIVERY_TIMEOUT_MS, this._abort.signal);
      this._advance(fresh);
      this._failures = 0;
      this._metrics.polls.inc({ receiver: RECEIVER, outcome: 'ok' });
      return interval;
    } catch (error) {
      if (this._stopped) return interval;
      this._failures++;
      if (error instanceof RateLimited) {
        this._metrics.polls.inc({ receiver: RECEIVER, outcome: 'rate_limited' });
        const wait = error.retryAfterSeconds ?? Math.min(MAX_BACKOFF_SECONDS, interval * 2 ** this._failures);
        this._log.warn('cloudflare: health events rate limited', { retryAfterSeconds: wait });
        return Math.max(interval, wait);
      }
      this._metrics.polls.inc({ receiver: RECEIVER, outcome: 'failed' });
      this._log.warn('cloudflare: polling health events failed', { error: (error as Error).message });
      return Math.min(MAX_BACKOFF_SECONDS, interval * 2 ** Math.min(this._failures - 1, 8));
    }
  }

  /** Stops polling; a poll in progress is cut short (its events are fetched again next time). */
  async stop(): Promise<void> {
    this._stopped = true;
    clearTimeout(this._timer);
    this._abort.abort();
    await this._running;
  }

  private _schedule(seconds: number): void {
    if (this._stopped) return;
    this._timer = setTimeout(() => {
      this._running = this.poll().then((next) => this._schedule(next));
    }, seconds * 1000);
  }

  private _url(page: number): string {
    const { baseUrl, accountId } = this._options;
    const scope = accountId ? `accounts/${encodeURIComponent(accountId)}` : 'user';
    const query = new URLSearchParams({
      since: new Date(Date.parse(this._state.since) - OVERLAP_MS).toISOString(),
      origin_healthy: 'false',
      page: String(page),
      per_page: String(PER_PAGE),
    });
    return `${baseUrl}/${scope}/load_balancing_analytics/events?${query}`;
  }

  private async _fetchAll(): Promise<Array<{ id: string; timestamp: string; raw: Json }>> {
    const events: Array<{ id: string; timestamp: string; raw: Json }> = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const response = await fetch(this._url(page), {
        headers: { authorization: `Bearer ${this._options.token}`, accept: 'application/json' },
        signal: AbortSignal.any([this._abort.signal, AbortSignal.timeout(30_000)]),
      });
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get('retry-after'));
        throw new RateLimited(Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined);
      }
      const body = (await response.json().catch(() => undefined)) as unknown;
      if (!response.ok || !isPlainObject(body) || body.success === false || !Array.isArray(body.result)) {
        const errors = isPlainObject(body) && Array.isArray(body.errors) ? JSON.stringify(body.errors) : '';
        throw new Error(`the API answered ${response.status} ${errors}`.trim());
      }
      for (const item of body.result) {
        const id = isPlainObject(item) ? text(item.id) : undefined;
        const timestamp = isPlainObject(item) ? text(item.timestamp) : undefined;
        if (id !== undefined && timestamp !== undefined) events.push({ id, timestamp, raw: item as Json });
      }
      const info = isPlainObject(body.result_info) ? body.result_info : {};
      const pages = typeof info.total_pages === 'number' ? info.total_pages : 1;
      if (page >= pages || body.result.length === 0) break;
    }
    return events;
  }

  /** One record per unhealthy origin of an event that gives a failure reason. */
  private _records(event: Json): GatewayLogRecord[] {
    const pool = isPlainObject(event.pool) ? event.pool : {};
    const origins = Array.isArray(event.origins) ? event.origins : [];
    const time = (typeof event.timestamp === 'string' && hrTimeFromRfc3339(event.timestamp)) || nowHrTime();
    const records: GatewayLogRecord[] = [];
    for (const origin of origins) {
      if (!isPlainObject(origin) || origin.healthy !== false || typeof origin.failure_reason !== 'string') continue;
      const attributes: Record<string, string> = {};
      const set = (key: string, value: unknown) => {
        const v = text(value);
        if (v !== undefined) attributes[key] = v;
      };
      set('cloudflare.lb.event.id', event.id);
      set('cloudflare.lb.pool.id', pool.id);
      set('cloudflare.lb.pool.name', pool.name);
      set('cloudflare.lb.origin.name', origin.name);
      set('cloudflare.lb.origin.address', origin.address);
      // The event with only this origin: the recogniser reads origins[].failure_reason.
      records.push(
        new GatewayLogRecord(RESOURCE, SCOPE, {
          body: { ...event, origins: [origin] },
          time,
          observed: nowHrTime(),
          attributes,
        }),
      );
    }
    return records;
  }

  /** Moves the cursor past the events just emitted and remembers their ids for the overlap. */
  private _advance(fresh: ReadonlyArray<{ id: string; timestamp: string }>): void {
    if (fresh.length === 0) return;
    let since = this._state.since;
    for (const e of fresh) if (Date.parse(e.timestamp) > Date.parse(since)) since = e.timestamp;
    const horizon = Date.parse(since) - OVERLAP_MS;
    const seen = [...this._state.seen, ...fresh.map(({ id, timestamp }) => ({ id, timestamp }))].filter(
      (e) => Date.parse(e.timestamp) >= horizon,
    );
    this._state = { since, seen };
    this._save();
  }

  private _load(): PollState | undefined {
    const file = this._options.stateFile;
    if (file === undefined) return undefined;
    try {
      const state = JSON.parse(readFileSync(file, 'utf8')) as PollState;
      if (typeof state.since === 'string' && Array.isArray(state.seen)) return state;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this._log.warn('cloudflare: the poller state file is unreadable; starting afresh', {
          file,
          error: (error as Error).message,
        });
      }
    }
    return undefined;
  }

  /** Written to a temporary file and renamed, so a crash never leaves half a state. */
  private _save(): void {
    const file = this._options.stateFile;
    if (file === undefined) return;
    try {
      writeFileSync(`${file}.tmp`, `${JSON.stringify(this._state)}\n`);
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this._log.warn('cloudflare: cannot write the poller state file', { file, error: (error as Error).message });
    }
  }
}
