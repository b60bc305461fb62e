/**
 * Throughput of `otel-platform-errors enrich --format jsonl FILE` on a large generated mixed file,
 * pinned to one core, with peak RSS for a small and a large input (equal when memory is flat).
 * Skipped, with the reason, when the built CLI or its `enrich` command is not there.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { asText, mixedStream, platformLines } from './corpus.ts';
import { type CliResult, median } from './report.ts';

const BIN = new URL('../dist/cli/bin.js', import.meta.url).pathname;
const TIME = '/usr/bin/time';
const RSS_MARK = 'BENCH_MAX_RSS_KB=';

interface Run {
  status: number | null;
  seconds: number;
  stdout: string;
  stderr: string;
  maxRssKb: number | undefined;
}

/** Runs the CLI on one core (taskset) with its output to a pipe we discard, timing the wall clock. */
function runCli(file: string, keepOutput: boolean): Run {
  const cli = [process.execPath, BIN, 'enrich', '--format', 'jsonl', '--quiet', file];
  const timed = existsSync(TIME) ? [TIME, '-f', `${RSS_MARK}%M`, ...cli] : cli;
  const command = existsSync('/usr/bin/taskset') ? ['taskset', '-c', '0', ...timed] : timed;
  const started = performance.now();
  const child = spawnSync(command[0] as string, command.slice(1), {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    stdio: ['ignore', keepOutput ? 'pipe' : 'ignore', 'pipe'],
  });
  const seconds = (performance.now() - started) / 1000;
  const rss = /BENCH_MAX_RSS_KB=(\d+)/.exec(child.stderr ?? '')?.[1];
  return {
    status: child.status,
    seconds,
    stdout: child.stdout ?? '',
    stderr: (child.stderr ?? '').replace(/BENCH_MAX_RSS_KB=\d+\n?/, ''),
    maxRssKb: rss === undefined ? undefined : Number(rss),
  };
}

async function writeMixedFile(file: string, lines: number): Promise<void> {
  const stream = mixedStream().map(asText);
  const out = createWriteStream(file);
  for (let i = 0; i < lines; i++) {
    if (!out.write(`${stream[i % stream.length]}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Why the CLI cannot be measured yet, or undefined when a router line comes back enriched. */
function unavailable(dir: string): string | undefined {
  if (!existsSync(BIN)) return 'dist/cli/bin.js is missing (run `npm run build`)';
  const probe = path.join(dir, 'probe.log');
  writeFileSync(probe, `${asText(platformLines.herokuRouter)}\n`);
  const run = runCli(probe, true);
  if (run.status !== 0) return `\`enrich\` exited with ${run.status}: ${run.stderr.split('\n')[0]}`;
  if (!run.stdout.includes('"H12"')) return '`enrich --format jsonl` printed no H12 for a router line';
  return undefined;
}

export async function measureCli(lines: number, rounds: number): Promise<CliResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ope-bench-'));
  try {
    const reason = unavailable(dir);
    if (reason) return { status: 'skipped', reason };
    const startupSeconds = median(
      Array.from({ length: rounds }, () => runCli(path.join(dir, 'probe.log'), false).seconds),
    );
    const smallLines = Math.round(lines / 10);
    const small = path.join(dir, 'small.log');
    const large = path.join(dir, 'large.log');
    await writeMixedFile(small, smallLines);
    await writeMixedFile(large, lines);
    const smallRun = runCli(small, false);
    const largeRuns = Array.from({ length: rounds }, () => runCli(large, false));
    const failed = largeRuns.find((run) => run.status !== 0);
    if (failed)
      return { status: 'skipped', reason: `enrich failed on the large file: ${failed.stderr.split('\n')[0]}` };
    const seconds = median(largeRuns.map((run) => run.seconds));
    const mb = (kb: number | undefined) => Math.round((kb ?? 0) / 1024);
    return {
      status: 'measured',
      lines,
      seconds,
      linesPerSecond: lines / seconds,
      startupSeconds,
      steadyLinesPerSecond: lines / (seconds - startupSeconds),
      ...(smallRun.maxRssKb === undefined
        ? {}
        : {
            maxRssMb: {
              small: mb(smallRun.maxRssKb),
              large: mb(median(largeRuns.map((r) => r.maxRssKb ?? 0))),
              smallLines,
            },
          }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
