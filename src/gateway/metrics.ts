import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The gateway's Prometheus metrics (`GET /metrics`), one registry per gateway. */
export class GatewayMetrics {
  readonly registry = new Registry();
  /** Requests answered, by receiver and HTTP status. */
  readonly requests = new Counter({
    name: 'platform_errors_gateway_requests_total',
    help: 'HTTP requests answered, by receiver and status code',
    labelNames: ['receiver', 'status'] as const,
    registers: [this.registry],
  });
  /** Log records (lines, frames, messages) taken in, by receiver. */
  readonly received = new Counter({
    name: 'platform_errors_gateway_records_received_total',
    help: 'Log records taken in (Logplex frames, OTLP records, NATS messages, Logpush lines), by receiver',
    labelNames: ['receiver'] as const,
    registers: [this.registry],
  });
  /** Records the downstream accepted. */
  readonly forwarded = new Counter({
    name: 'platform_errors_gateway_records_forwarded_total',
    help: 'Log records the downstream acknowledged',
    registers: [this.registry],
  });
  /** Input that could not become a record, by receiver and reason. */
  readonly rejected = new Counter({
    name: 'platform_errors_gateway_records_rejected_total',
    help: 'Frames, lines or messages that could not be parsed, by receiver and reason',
    labelNames: ['receiver', 'reason'] as const,
    registers: [this.registry],
  });
  /** Records in which a platform code was recognised. */
  readonly matched = new Counter({
    name: 'platform_errors_gateway_codes_matched_total',
    help: 'Records in which a platform error code was recognised, by platform, code and platform fault',
    labelNames: ['platform', 'code', 'platform_fault'] as const,
    registers: [this.registry],
  });
  /** Where the queue depth is read from when Prometheus scrapes; set by the gateway. */
  queueDepth: () => number = () => 0;
  /** Records waiting for the downstream or in flight to it. */
  readonly queued: Gauge = new Gauge({
    name: 'platform_errors_gateway_queue_records',
    help: 'Records waiting for or in flight to the downstream',
    registers: [this.registry],
    collect: (): void => this.queued.set(this.queueDepth()),
  });
  /** Export requests the downstream failed (after the exporter's own retries). */
  readonly downstreamFailures = new Counter({
    name: 'platform_errors_gateway_downstream_failures_total',
    help: 'Export requests that failed after the OTLP exporter retried them',
    registers: [this.registry],
  });
  readonly exportDuration = new Histogram({
    name: 'platform_errors_gateway_export_duration_seconds',
    help: 'Time from a batch leaving the queue to the downstream answer',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Requests (or messages) refused or dropped for lack of queue space, by receiver. */
  readonly backpressure = new Counter({
    name: 'platform_errors_gateway_backpressure_total',
    help: 'Requests answered 429/503, or messages dropped, because the queue was full or the downstream failing',
    labelNames: ['receiver', 'reason'] as const,
    registers: [this.registry],
  });
  /** Retries the gateway had already delivered (by Logplex-Frame-Id or X-Request-Id). */
  readonly duplicates = new Counter({
    name: 'platform_errors_gateway_duplicates_total',
    help: 'Requests acknowledged without forwarding because the same frame id was already delivered',
    labelNames: ['receiver'] as const,
    registers: [this.registry],
  });
  /** Logplex requests whose Logplex-Msg-Count differs from the frames found (a soft error: the frames still go on). */
  readonly countMismatches = new Counter({
    name: 'platform_errors_gateway_logplex_count_mismatches_total',
    help: 'Logplex requests whose Logplex-Msg-Count header differs from the frames in the body',
    registers: [this.registry],
  });
  /** Messages the platform itself says it lost before they reached us (Heroku L10/L12/L13). */
  readonly platformLoss = new Counter({
    name: 'platform_errors_gateway_platform_reported_loss_total',
    help: 'Log messages the platform reported dropped before delivery (Heroku L10, L12, L13 lines and log-shuttle headers)',
    labelNames: ['platform', 'code'] as const,
    registers: [this.registry],
  });

  /** Records given up without delivery by a receiver whose sender cannot retry (NATS), by reason. */
  readonly dropped = new Counter({
    name: 'platform_errors_gateway_records_dropped_total',
    help: 'Records a receiver gave up because its sender cannot retry them (NATS is at most once): backlog full, or shut down',
    labelNames: ['receiver', 'reason'] as const,
    registers: [this.registry],
  });
  /** Records taken in but deliberately not forwarded (Logpush records without a code, validation uploads). */
  readonly filtered = new Counter({
    name: 'platform_errors_gateway_records_filtered_total',
    help: 'Records read but not forwarded on purpose (Logpush records that hold no platform code), by receiver',
    labelNames: ['receiver'] as const,
    registers: [this.registry],
  });
  /** What happened to the NATS connection: disconnects, reconnects, slow-consumer notices, errors. */
  readonly natsEvents = new Counter({
    name: 'platform_errors_gateway_nats_events_total',
    help: 'NATS connection events (disconnect, reconnect, slow_consumer, error)',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });
  /** Polls of an API (Cloudflare health events), by receiver and outcome. */
  readonly polls = new Counter({
    name: 'platform_errors_gateway_polls_total',
    help: 'API polls (Cloudflare Load Balancing health events), by receiver and outcome (ok, rate_limited, failed)',
    labelNames: ['receiver', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'platform_errors_gateway_' });
  }
}
