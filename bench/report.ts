/** Turns raw round results into per-scenario rows, target verdicts and printable tables. */

/** One scenario's figures from one round, per record. */
export interface RoundResult {
  id: string;
  medianNs: number;
  p99Ns: number;
  rme: number;
  samples: number;
}

/** One scenario over all rounds. */
export interface Row {
  id: string;
  description: string;
  /** Median over rounds of each round's median, ns per record. */
  medianNs: number;
  opsPerSecond: number;
  p99Ns: number;
  /** Median relative margin of error of the per-call mean, percent. */
  rme: number;
  samples: number;
  /** (max − min) / median of the round medians: how much other load moved the figure. */
  spread: number;
  roundsNs: number[];
}

export interface CliResult {
  status: 'measured' | 'skipped';
  reason?: string;
  lines?: number;
  seconds?: number;
  linesPerSecond?: number;
  /** Lines per second after the process's start-up time (one-line file) is taken off. */
  steadyLinesPerSecond?: number;
  startupSeconds?: number;
  /** Peak RSS for a small and a large input: equal when memory stays flat. */
  maxRssMb?: { small: number; large: number; smallLines: number };
}

export interface StartupResult {
  status: 'measured' | 'skipped';
  reason?: string;
  runs?: number;
  /** Median ms for import + first new, with @opentelemetry/api and sdk-logs already imported. */
  withSdkLoadedMs?: number;
  /** Median ms for the same from nothing: the OpenTelemetry API is loaded on the way. */
  coldMs?: number;
}

export interface Target {
  name: string;
  measured: string;
  limit: string;
  met: boolean | undefined;
  /** The numbers behind `measured`, for machines. */
  derived?: Derived;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function summarise(rounds: readonly RoundResult[][], descriptions: ReadonlyMap<string, string>): Row[] {
  return [...descriptions].map(([id, description]) => {
    const mine = rounds.map((round) => round.find((r) => r.id === id)).filter((r) => r !== undefined);
    const roundsNs = mine.map((r) => r.medianNs);
    const medianNs = median(roundsNs);
    return {
      id,
      description,
      medianNs,
      opsPerSecond: 1e9 / medianNs,
      p99Ns: median(mine.map((r) => r.p99Ns)),
      rme: median(mine.map((r) => r.rme)),
      samples: mine.reduce((sum, r) => sum + r.samples, 0),
      spread: (Math.max(...roundsNs) - Math.min(...roundsNs)) / medianNs,
      roundsNs,
    };
  });
}

const ns = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)} µs` : `${value.toFixed(0)} ns`);

export interface Derived {
  median: number;
  min: number;
  max: number;
}

/**
 * A figure derived from several scenarios, computed within each round (its operands were measured
 * close together in time) and then summarised over rounds: on a shared machine, load moves whole
 * rounds up and down, and pairing by round cancels most of that.
 */
function perRound(
  rows: readonly Row[],
  ids: readonly string[],
  f: (...values: number[]) => number,
): Derived | undefined {
  const series = ids.map((id) => rows.find((r) => r.id === id)?.roundsNs);
  if (series.some((values) => values === undefined)) return undefined;
  const rounds = Math.min(...series.map((values) => values?.length ?? 0));
  const values = Array.from({ length: rounds }, (_, i) => f(...series.map((v) => v?.[i] ?? Number.NaN)));
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

const withRange = (d: Derived, format: (value: number) => string): string =>
  `${format(d.median)} (rounds: ${format(d.min)} – ${format(d.max)})`;

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;
const times = (value: number): string => `${value.toFixed(1)}×`;
const times2 = (value: number): string => `${value.toFixed(2)}×`;
const pts = (value: number): string => `${value.toFixed(1)} points`;

const perByte = (value: number): string => `${value.toFixed(2)} ns/B`;

/** The scan limit a string body is cut to (the processor's default `maxScanLength`). */
const SCAN_LIMIT = 16384;

/** The targets of the hot-path issue (and the earlier ones still kept), from this run only. */
export function evaluateTargets(rows: readonly Row[], cli: CliResult, startup: StartupResult): Target[] {
  const targets: Target[] = [];
  /** A target on a figure derived from several scenarios; skipped when one of them did not run. */
  const add = (
    name: string,
    derived: Derived | undefined,
    format: (value: number) => string,
    limit: string,
    within: (median: number) => boolean,
  ): void => {
    if (derived)
      targets.push({ name, measured: withRange(derived, format), limit, met: within(derived.median), derived });
  };
  /** The processor's added cost on a non-matching record, as a multiple of that record's bare emit. */
  const overBare = (name: string) =>
    perRound(rows, [`emit/processor/${name}`, `emit/bare/${name}`], (ours, bare) => (ours - bare) / bare);
  add('non-matching text line, ~110 B: added ÷ bare emit', overBare('typical110'), times2, '≤ 0.5×', (m) => m <= 0.5);
  add('non-matching text line, ≤ 64 B: added ÷ bare emit', overBare('short64'), times2, '≤ 0.3×', (m) => m <= 0.3);
  add(
    'non-matching structured body, 8 fields: added ÷ bare emit',
    overBare('struct8'),
    times2,
    '≤ 0.4×',
    (m) => m <= 0.4,
  );
  add(
    'non-matching record, 10 attributes: added ÷ its bare emit',
    overBare('attributes10'),
    times2,
    '≤ 0.15×',
    (m) => m <= 0.15,
  );
  for (const length of [2048, 8192, 16384]) {
    const name = `long${length / 1024}k`;
    const scanned = Math.min(length, SCAN_LIMIT);
    const cost = perRound(
      rows,
      [`emit/processor/${name}`, `emit/bare/${name}`],
      (ours, bare) => (ours - bare) / scanned,
    );
    add(`long line, ${length} B: added per scanned byte`, cost, perByte, '≤ 0.5 ns/B', (m) => m <= 0.5);
  }
  const router = ['emit/processor/herokuRouter', 'emit/floor/herokuRouter'];
  const above = perRound(rows, router, (ours, floor) => ours - floor);
  add('matching Heroku router line: above the 5-attribute floor', above, ns, '≤ 100 ns', (m) => m <= 100);
  const pipeline = ['pipeline/processor/mix', 'pipeline/floor/mix', 'pipeline/bare/mix'];
  const points = perRound(rows, pipeline, (ours, floor, bare) => ((ours - floor) / bare) * 100);
  add(
    'full pipeline, 5 % mix, batch + protobuf: points above the attribute-only floor',
    points,
    pts,
    '≤ 5 points',
    (m) => m <= 5,
  );
  add(
    '… the processor pipeline over bare',
    perRound(rows, pipeline, (o, _f, b) => o / b - 1),
    percent,
    'shown',
    () => true,
  );
  add(
    '… the attribute-only floor over bare',
    perRound(rows, pipeline, (_o, f, b) => f / b - 1),
    percent,
    'shown',
    () => true,
  );
  const startupTarget = 'import + first new PlatformErrorProcessor(), OTel SDK already loaded';
  targets.push(
    startup.status === 'measured'
      ? {
          name: startupTarget,
          measured: `${startup.withSdkLoadedMs?.toFixed(1)} ms (from nothing, with the OTel API: ${startup.coldMs?.toFixed(1)} ms; median of ${startup.runs} processes)`,
          limit: '≤ 25 ms',
          met: (startup.withSdkLoadedMs ?? Number.POSITIVE_INFINITY) <= 25,
        }
      : { name: startupTarget, measured: `not measured: ${startup.reason}`, limit: '≤ 25 ms', met: undefined },
  );
  // Both overheads above the floor; ours is clamped at 1 ns so a result at the floor reads as a large ratio.
  const ratio = perRound(rows, [...router, 'peer/logfmt/herokuRouter'], (ours, floor, peer) => {
    return (peer - floor) / Math.max(ours - floor, 1);
  });
  add('router line: logfmt peer overhead ÷ ours (both above the floor)', ratio, times, '≥ 4×', (m) => m >= 4);
  targets.push(
    cli.status === 'measured'
      ? {
          name: 'enrich CLI throughput (one core)',
          measured: `${Math.round((cli.linesPerSecond ?? 0) / 1000)}k lines/s`,
          limit: '≥ 150k lines/s',
          met: (cli.linesPerSecond ?? 0) >= 150_000,
        }
      : {
          name: 'enrich CLI throughput (one core)',
          measured: `not measured: ${cli.reason}`,
          limit: '≥ 150k lines/s',
          met: undefined,
        },
  );
  return targets;
}

/** A Markdown table, so the output can go into BENCHMARKS.md as it is. */
function markdownTable(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export function formatRows(rows: readonly Row[]): string {
  return markdownTable(
    ['scenario', 'what', 'median / record', 'ops/s', 'p99 / record', 'rme', 'samples', 'round spread'],
    rows.map((r) => [
      `\`${r.id}\``,
      r.description,
      ns(r.medianNs),
      Math.round(r.opsPerSecond).toLocaleString('en-US'),
      ns(r.p99Ns),
      `±${r.rme.toFixed(1)} %`,
      String(r.samples),
      `${(r.spread * 100).toFixed(0)} %`,
    ]),
  );
}

export function formatTargets(targets: readonly Target[]): string {
  const verdict = (met: boolean | undefined) => (met === undefined ? 'n/a' : met ? 'met' : 'MISSED');
  return markdownTable(
    ['target', 'measured', 'limit', 'verdict'],
    targets.map((t) => [t.name, t.measured, t.limit, verdict(t.met)]),
  );
}

export function formatCli(cli: CliResult): string {
  if (cli.status === 'skipped') return `enrich CLI: skipped — ${cli.reason}\n`;
  const rss = cli.maxRssMb;
  return [
    `enrich CLI: ${cli.lines?.toLocaleString('en-US')} lines in ${cli.seconds?.toFixed(2)} s = ${Math.round(cli.linesPerSecond ?? 0).toLocaleString('en-US')} lines/s`,
    ` (start-up ${((cli.startupSeconds ?? 0) * 1000).toFixed(0)} ms; ${Math.round(cli.steadyLinesPerSecond ?? 0).toLocaleString('en-US')} lines/s without it)`,
    rss
      ? `; peak RSS ${rss.small} MB for ${rss.smallLines.toLocaleString('en-US')} lines, ${rss.large} MB for all\n`
      : '\n',
  ].join('');
}
