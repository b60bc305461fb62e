/**
 * Gateway load benchmark, end to end: a platform's stream in → recognition → OTLP protobuf out.
 *   npm run bench:gateway     (builds first; then bench/gateway/run.ts [--lines=1000000] [--batch=500]
 *                              [--connections=8] [--seconds=60] [--nats-messages=300000]
 *                              [--logpush-batches=40] [--logpush-records=10000])
 * The gateway (`dist/cli/bin.js serve`) runs in its own process pinned to core 0 (taskset), the
 * sender in another pinned to core 1, and a sink in this process reads every export whole and
 * answers 200. Runs: Logplex drains with recognition on and with `--passthrough`; Fly's NATS
 * stream (a real nats-server); Logpush batches, forwarding only coded records and with
 * `--cloudflare-forward-all`. Reported: units/s end to end, units per CPU-second of the gateway
 * (its rate per core, whatever else the machine runs), acknowledgement latency where there is one,
 * the gateway's RSS over the run, and what its own metrics counted. Writes bench/results/gateway.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { freePort, NatsServer } from '../../test/helpers/natsServer.ts';
import { environment } from '../environment.ts';
import { median } from '../report.ts';
import { ERROR_SHARE } from './drainLines.ts';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '500' },
    connections: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '60' },
    'nats-messages': { type: 'string', default: '300000' },
    'logpush-batches': { type: 'string', default: '40' },
    'logpush-records': { type: 'string', default: '10000' },
    out: { type: 'string', default: new URL('../results/gateway.json', import.meta.url).pathname },
  },
});

const BIN = new URL('../../dist/cli/bin.js', import.meta.url).pathname;
const here = (file: string) => new URL(`./${file}`, import.meta.url).pathname;
const TOKEN = 'bench-token';
const TASKSET = existsSync('/usr/bin/taskset');

interface Sink {
  url: string;
  exports: number;
  server: Server;
}

/** The downstream: reads each export request whole, answers 200 with an empty OTLP response. */
async function startSink(): Promise<Sink> {
  const sink: Sink = { url: '', exports: 0, server: createServer() };
  sink.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      sink.exports++;
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  sink.server.listen(0, '127.0.0.1');
  await once(sink.server, 'listening');
  sink.url = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}/v1/logs`;
  return sink;
}

function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', () => resolve({ status: 0, body: '' }));
  });
}

async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Resident set size and CPU seconds of a process, from /proc. */
function processStats(pid: number): { rssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // Fields after the command name: utime is field 14 and stime 15, in clock ticks (100/s).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssMb: rssKb / 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100 };
}

/** Sums every sample of a metric (optionally only those whose labels contain `labels`) in Prometheus text. */
function metric(text: string, name: string, labels = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if ((line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && line.includes(labels)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

/** Units per second end to end and per gateway CPU-second, and the acknowledgement percentiles. */
function rates(units: number, seconds: number, cpuSeconds: number, latenciesMs?: readonly number[]) {
  const sorted = latenciesMs && [...latenciesMs].sort((a, b) => a - b);
  return {
    units,
    seconds,
    perSecond: units / seconds,
    perCpuSecond: units / cpuSeconds,
    ...(sorted && { ackP50Ms: percentile(sorted, 50), ackP99Ms: percentile(sorted, 99) }),
  };
}

/** `command` pinned to a core when taskset is there. */
const pinned = (core: number, command: string[]): [string, string[]] =>
  TASKSET ? ['taskset', ['-c', String(core), ...command]] : [command[0] as string, command.slice(1)];

interface GatewayProcess {
  pid: number;
  base: string;
  metrics(): Promise<string>;
  stop(): Promise<void>;
  rss: number[];
  cpuBefore: number;
  stopSampling(): { rssMb: Record<string, number>; cpuSeconds: number };
}

/** Starts `serve` on core 0, waits until it is ready (and `readyLine` was logged), samples its RSS. */
async function startGateway(
  sink: Sink,
  extra: string[],
  env: NodeJS.ProcessEnv,
  readyLine?: string,
): Promise<GatewayProcess> {
  const port = await freePort();
  const [command, commandArgs] = pinned(0, [
    process.execPath,
    BIN,
    'serve',
    '--port',
    String(port),
    '--otlp-url',
    sink.url,
    ...extra,
  ]);
  const child: ChildProcess = spawn(command, commandArgs, {
    env: { ...process.env, PLATFORM_ERRORS_TOKEN: TOKEN, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-8000);
  });
  const base = `http://127.0.0.1:${port}`;
  await until(async () => (await fetchText(`${base}/readyz`)).status === 200, 10_000, 'the gateway');
  if (readyLine) await until(() => log.includes(readyLine), 10_000, readyLine);
  const pid = child.pid as number;
  const before = processStats(pid);
  const rss = [before.rssMb];
  const sampler = setInterval(() => rss.push(processStats(pid).rssMb), 100);
  return {
    pid,
    base,
    rss,
    cpuBefore: before.cpuSeconds,
    metrics: async () => (await fetchText(`${base}/metrics`)).body,
    stopSampling: () => {
      clearInterval(sampler);
      const after = processStats(pid);
      const settled = rss.slice(Math.floor(rss.length / 4));
      return {
        cpuSeconds: after.cpuSeconds - before.cpuSeconds,
        rssMb: { start: before.rssMb, median: median(settled), peak: Math.max(...rss), end: after.rssMb },
      };
    },
    stop: async () => {
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      if (code !== 0) throw new Error(`the gateway exited with ${code}: ${log}`);
    },
  };
}

/** Runs a sender script on core 1 and returns what it printed. */
async function runSender<T>(script: string, plan: object): Promise<T> {
  const [command, commandArgs] = pinned(1, [
    process.execPath,
    '--experimental-strip-types',
    here(script),
    JSON.stringify(plan),
  ]);
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    out += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(out) as T;
}

interface Run {
  receiver: string;
  mode: string;
  unit: string;
  units: number;
  seconds: number;
  perSecond: number;
  perCpuSecond: number;
  ackP50Ms?: number;
  ackP99Ms?: number;
  rssMb: Record<string, number>;
  forwarded: number;
  matched: number;
  dropped: number;
}

async function heroku(sink: Sink, mode: 'recognition' | 'passthrough'): Promise<Run> {
  const gateway = await startGateway(sink, mode === 'passthrough' ? ['--passthrough'] : [], {});
  const plan = {
    url: `${gateway.base}/heroku`,
    token: TOKEN,
    lines: Number(args.lines),
    batch: Number(args.batch),
    connections: Number(args.connections),
    seconds: Number(args.seconds),
  };
  const report = await runSender<{ acknowledgedLines: number; seconds: number; latenciesMs: number[] }>(
    'sender.ts',
    plan,
  );
  const { cpuSeconds, rssMb } = gateway.stopSampling();
  const metrics = await gateway.metrics();
  await gateway.stop();
  const forwarded = metric(metrics, 'platform_errors_gateway_records_forwarded_total');
  const matched = metric(metrics, 'platform_errors_gateway_codes_matched_total');
  if (forwarded < report.acknowledgedLines) throw new Error(`heroku ${mode}: acknowledged lines missing downstream`);
  const expected = mode === 'recognition' ? Math.round(report.acknowledgedLines * ERROR_SHARE) : 0;
  if (Math.abs(matched - expected) > plan.batch)
    throw new Error(`heroku ${mode}: ${matched} matched, expected ~${expected}`);
  return {
    receiver: 'heroku (Logplex drain)',
    mode,
    unit: 'lines',
    ...rates(report.acknowledgedLines, report.seconds, cpuSeconds, report.latenciesMs),
    rssMb,
    forwarded,
    matched,
    dropped: 0,
  };
}

async function fly(sink: Sink): Promise<Run> {
  const nats = await NatsServer.start('bench-org', 'bench-fly-token');
  try {
    const env = { FLY_ACCESS_TOKEN: nats.password, FLY_ORG: nats.user, FLY_NATS_URL: nats.url };
    const gateway = await startGateway(sink, [], env, 'subscribed to the log stream');
    const messages = Number(args['nats-messages']);
    const started = performance.now();
    await runSender('natsPublisher.ts', {
      url: nats.url,
      user: nats.user,
      pass: nats.password,
      messages,
      metricsUrl: `${gateway.base}/metrics`,
      window: 20_000,
    });
    let metrics = '';
    const settled = async () => {
      metrics = await gateway.metrics();
      const done =
        metric(metrics, 'platform_errors_gateway_records_forwarded_total') +
        metric(metrics, 'platform_errors_gateway_records_dropped_total');
      return done >= messages;
    };
    // Whatever the server cut off as a slow consumer never arrives: stop waiting once nothing moves.
    await until(settled, 60_000, 'the NATS messages').catch(() => undefined);
    const seconds = (performance.now() - started) / 1000;
    const { cpuSeconds, rssMb } = gateway.stopSampling();
    await gateway.stop();
    const forwarded = metric(metrics, 'platform_errors_gateway_records_forwarded_total');
    return {
      receiver: 'fly (NATS)',
      mode: 'recognition',
      unit: 'messages',
      ...rates(forwarded, seconds, cpuSeconds),
      rssMb,
      forwarded,
      matched: metric(metrics, 'platform_errors_gateway_codes_matched_total'),
      dropped: messages - forwarded,
    };
  } finally {
    await nats.stop();
  }
}

async function logpush(sink: Sink, forwardAll: boolean): Promise<Run> {
  const gateway = await startGateway(sink, forwardAll ? ['--cloudflare-forward-all'] : [], {});
  const plan = {
    url: `${gateway.base}/cloudflare/logpush`,
    token: TOKEN,
    batches: Number(args['logpush-batches']),
    records: Number(args['logpush-records']),
    connections: 2,
  };
  const report = await runSender<{ records: number; seconds: number; latenciesMs: number[] }>('logpushSender.ts', plan);
  const { cpuSeconds, rssMb } = gateway.stopSampling();
  const metrics = await gateway.metrics();
  await gateway.stop();
  return {
    receiver: 'cloudflare (Logpush)',
    mode: forwardAll ? 'forward all' : 'coded only',
    unit: 'records',
    ...rates(report.records, report.seconds, cpuSeconds, report.latenciesMs),
    rssMb,
    forwarded: metric(metrics, 'platform_errors_gateway_records_forwarded_total'),
    matched: metric(metrics, 'platform_errors_gateway_codes_matched_total'),
    dropped: 0,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number | undefined) => (n === undefined ? '–' : `${n.toFixed(1)} ms`);

const sink = await startSink();
const env = environment();
process.stdout.write(
  `gateway benchmark on ${env.cpu} (${env.cores} cores), Node ${env.node}${TASKSET ? '; gateway on core 0, sender on core 1' : ''}\n`,
);
const runs: Run[] = [];
for (const run of [
  () => heroku(sink, 'recognition'),
  () => heroku(sink, 'passthrough'),
  () => fly(sink),
  () => logpush(sink, false),
  () => logpush(sink, true),
]) {
  const result = await run();
  runs.push(result);
  process.stdout.write(`${result.receiver}, ${result.mode}: ${fmt(result.perSecond)} ${result.unit}/s\n`);
}
sink.server.close();
const table = [
  '| receiver | mode | end to end | per gateway CPU-second | ack p50 | ack p99 | RSS start → median, peak | forwarded | codes matched |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...runs.map(
    (r) =>
      `| ${r.receiver} | ${r.mode} | ${fmt(r.perSecond)} ${r.unit}/s | ${fmt(r.perCpuSecond)} | ${ms(r.ackP50Ms)} | ${ms(r.ackP99Ms)} | ${fmt(r.rssMb.start ?? 0)} → ${fmt(r.rssMb.median ?? 0)} MB, ${fmt(r.rssMb.peak ?? 0)} MB | ${fmt(r.forwarded)} of ${fmt(r.units + r.dropped)} | ${fmt(r.matched)} |`,
  ),
].join('\n');
process.stdout.write(`\n${table}\n`);
writeFileSync(args.out, `${JSON.stringify({ environment: env, options: args, runs }, null, 2)}\n`);
process.stdout.write(`results written to ${args.out}\n`);
