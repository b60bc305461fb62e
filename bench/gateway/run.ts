/**
 * Gateway load benchmark: Logplex in → recognition → OTLP protobuf out, end to end.
 *   npm run bench:gateway        (builds first; then bench/gateway/run.ts [--lines=1000000]
 *                                 [--batch=500] [--connections=8] [--seconds=60])
 * The gateway (`dist/cli/bin.js serve`) runs in its own process pinned to core 0 (taskset), the
 * sender (sender.ts) in another pinned to core 1, and a sink in this process reads every export
 * whole and answers 200. Two runs: recognition on, then `--passthrough` (nothing recognised).
 * Reported: lines/s end to end, lines per CPU-second of the gateway (its rate per core, whatever
 * else the machine runs), p50/p99 acknowledgement latency, the gateway's RSS over the run, and
 * what its own metrics counted. Writes bench/results/gateway.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { environment } from '../environment.ts';
import { median } from '../report.ts';
import { ERROR_SHARE } from './drainLines.ts';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '500' },
    connections: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '60' },
    out: { type: 'string', default: new URL('../results/gateway.json', import.meta.url).pathname },
  },
});

const BIN = new URL('../../dist/cli/bin.js', import.meta.url).pathname;
const SENDER = new URL('./sender.ts', import.meta.url).pathname;
const TOKEN = 'bench-token';
const TASKSET = existsSync('/usr/bin/taskset');

interface Sink {
  url: string;
  exports: number;
  bytes: number;
  server: Server;
}

/** The downstream: reads each export request whole, answers 200 with an empty OTLP response. */
async function startSink(): Promise<Sink> {
  const sink: Sink = { url: '', exports: 0, bytes: 0, server: createServer() };
  sink.server.on('request', (req, res) => {
    req.on('data', (chunk: Buffer) => {
      sink.bytes += chunk.length;
    });
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

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
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

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the gateway did not become ready');
}

/** Resident set size and CPU seconds of a process, from /proc. */
function processStats(pid: number): { rssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // Fields after the command name: state is field 3, utime 14 and stime 15, in clock ticks (100/s).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMb: rssKb / 1024, cpuSeconds: ticks / 100 };
}

/** Sums every sample of a metric in Prometheus text. */
function metric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

interface SenderReport {
  acknowledgedLines: number;
  droppedLines: number;
  seconds: number;
  latenciesMs: number[];
  failures: Record<string, number>;
}

async function runOnce(mode: 'recognition' | 'passthrough', sink: Sink) {
  const port = await freePort();
  const gatewayArgs = [BIN, 'serve', '--port', String(port), '--otlp-url', sink.url];
  if (mode === 'passthrough') gatewayArgs.push('--passthrough');
  const command = TASKSET
    ? ['taskset', '-c', '0', process.execPath, ...gatewayArgs]
    : [process.execPath, ...gatewayArgs];
  const gateway: ChildProcess = spawn(command[0] as string, command.slice(1), {
    env: { ...process.env, PLATFORM_ERRORS_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let gatewayLog = '';
  gateway.stderr?.on('data', (chunk: Buffer) => {
    gatewayLog = (gatewayLog + chunk.toString('utf8')).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  await until(async () => (await fetchText(`${base}/readyz`)).status === 200, 10_000);
  const pid = gateway.pid as number;
  const before = processStats(pid);
  const rss: number[] = [before.rssMb];
  const sampler = setInterval(() => rss.push(processStats(pid).rssMb), 100);

  const plan = {
    url: `${base}/heroku`,
    token: TOKEN,
    lines: Number(args.lines),
    batch: Number(args.batch),
    connections: Number(args.connections),
    seconds: Number(args.seconds),
  };
  const senderCommand = [process.execPath, '--experimental-strip-types', SENDER, JSON.stringify(plan)];
  const sender = spawn(
    TASKSET ? 'taskset' : (senderCommand[0] as string),
    TASKSET ? ['-c', '1', ...senderCommand] : senderCommand.slice(1),
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  sender.stdout?.setEncoding('utf8');
  sender.stdout?.on('data', (chunk: string) => {
    out += chunk;
  });
  const [code] = (await once(sender, 'exit')) as [number | null];
  clearInterval(sampler);
  const after = processStats(pid);
  if (code !== 0) throw new Error(`the sender exited with ${code}`);
  const report = JSON.parse(out) as SenderReport;
  const metrics = (await fetchText(`${base}/metrics`)).body;
  gateway.kill('SIGTERM');
  const [exitCode] = (await once(gateway, 'exit')) as [number | null];
  if (exitCode !== 0) throw new Error(`the gateway exited with ${exitCode}: ${gatewayLog}`);

  const sorted = [...report.latenciesMs].sort((a, b) => a - b);
  const cpuSeconds = after.cpuSeconds - before.cpuSeconds;
  const forwarded = metric(metrics, 'platform_errors_gateway_records_forwarded_total');
  const matched = metric(metrics, 'platform_errors_gateway_codes_matched_total');
  const expectedMatched = mode === 'recognition' ? Math.round(report.acknowledgedLines * ERROR_SHARE) : 0;
  if (forwarded < report.acknowledgedLines) {
    throw new Error(`${mode}: ${report.acknowledgedLines} lines acknowledged but only ${forwarded} forwarded`);
  }
  if (Math.abs(matched - expectedMatched) > plan.batch) {
    throw new Error(`${mode}: ${matched} records matched, expected about ${expectedMatched}`);
  }
  const settled = rss.slice(Math.floor(rss.length / 4));
  return {
    mode,
    acknowledgedLines: report.acknowledgedLines,
    droppedLines: report.droppedLines,
    failures: report.failures,
    seconds: report.seconds,
    linesPerSecond: report.acknowledgedLines / report.seconds,
    gatewayCpuSeconds: cpuSeconds,
    linesPerCpuSecond: report.acknowledgedLines / cpuSeconds,
    ackP50Ms: percentile(sorted, 50),
    ackP99Ms: percentile(sorted, 99),
    ackMaxMs: sorted.at(-1) ?? Number.NaN,
    rssMb: {
      start: before.rssMb,
      quarter: settled[0] ?? Number.NaN,
      median: median(settled),
      peak: Math.max(...rss),
      end: after.rssMb,
    },
    recordsForwarded: forwarded,
    codesMatched: matched,
  };
}

const sink = await startSink();
const env = environment();
process.stdout.write(
  `gateway benchmark: ${args.lines} lines in batches of ${args.batch} over ${args.connections} connections (at most ${args.seconds} s), on ${env.cpu}, Node ${env.node}${TASKSET ? '; gateway on core 0, sender on core 1' : ''}\n`,
);
const runs = [];
for (const mode of ['recognition', 'passthrough'] as const) {
  const result = await runOnce(mode, sink);
  runs.push(result);
  process.stdout.write(
    `${mode.padEnd(11)}  ${Math.round(result.linesPerSecond).toLocaleString('en-US')} lines/s end to end, ` +
      `${Math.round(result.linesPerCpuSecond).toLocaleString('en-US')} lines per gateway CPU-second; ` +
      `ack p50 ${result.ackP50Ms.toFixed(1)} ms, p99 ${result.ackP99Ms.toFixed(1)} ms; ` +
      `RSS start ${result.rssMb.start.toFixed(0)} MB, median ${result.rssMb.median.toFixed(0)} MB, peak ${result.rssMb.peak.toFixed(0)} MB, end ${result.rssMb.end.toFixed(0)} MB; ` +
      `${result.acknowledgedLines.toLocaleString('en-US')} lines acknowledged, ${result.codesMatched.toLocaleString('en-US')} codes matched\n`,
  );
}
sink.server.close();
writeFileSync(
  args.out,
  `${JSON.stringify({ environment: env, options: args, sinkExports: sink.exports, sinkBytes: sink.bytes, runs }, null, 2)}\n`,
);
process.stdout.write(`results written to ${args.out}\n`);
