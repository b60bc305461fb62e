/**
 * Runs every scenario side by side, in several rounds (alternating the order so drift from other
 * load hits all scenarios alike), prints a Markdown table with the target verdicts, and writes
 * bench/results/latest.json.
 *
 *   node --experimental-strip-types bench/run.ts [--time=500] [--rounds=5] [--filter=emit/] [--no-cli] [--no-startup] [--isolate]
 *
 * By default all scenarios share one process, so the JIT sees every record shape at once (as a
 * busy app's logger does). --isolate measures each scenario in a fresh child process instead (still
 * round by round, so rounds stay aligned in time): the steady state of one record shape.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { measureCli } from './cli.ts';
import { environment } from './environment.ts';
import {
  type CliResult,
  evaluateTargets,
  formatCli,
  formatRows,
  formatTargets,
  type RoundResult,
  type StartupResult,
  summarise,
} from './report.ts';
import type { Scenario } from './scenario.ts';
import { allScenarios, scenarioById } from './scenarios/index.ts';
import { measureStartup } from './startup.ts';

const { values: args } = parseArgs({
  options: {
    time: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '5' },
    filter: { type: 'string' },
    'cli-lines': { type: 'string', default: '500000' },
    'no-cli': { type: 'boolean', default: false },
    'no-startup': { type: 'boolean', default: false },
    'startup-runs': { type: 'string', default: '15' },
    isolate: { type: 'boolean', default: false },
    /** Internal: measure one scenario for one round and print its result as JSON (--isolate's children). */
    worker: { type: 'string' },
    out: { type: 'string', default: new URL('results/latest.json', import.meta.url).pathname },
  },
});

const print = (text: string) => process.stdout.write(text);

async function runRound(scenarios: readonly Scenario[], time: number): Promise<RoundResult[]> {
  const bench = new Bench({ time, warmupTime: time / 4, throws: true });
  for (const scenario of scenarios) {
    const hooks = {
      ...(scenario.setup && { beforeAll: scenario.setup }),
      ...(scenario.teardown && { afterAll: scenario.teardown }),
    };
    bench.add(scenario.id, scenario.run, hooks);
  }
  await bench.run();
  return scenarios.map((scenario) => {
    const result = bench.getTask(scenario.id)?.result;
    if (!result || !('latency' in result)) throw new Error(`${scenario.id}: no result (${result?.state})`);
    const perRecord = 1e6 / scenario.recordsPerCall; // latency is in ms per call
    return {
      id: scenario.id,
      medianNs: result.latency.p50 * perRecord,
      p99Ns: result.latency.p99 * perRecord,
      rme: result.latency.rme,
      samples: result.latency.samplesCount,
    };
  });
}

/** One round with each scenario in its own child process, in the given order. */
function runIsolatedRound(scenarios: readonly Scenario[], time: number): RoundResult[] {
  const script = new URL(import.meta.url).pathname;
  return scenarios.map((scenario) => {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, script, `--worker=${scenario.id}`, `--time=${time}`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) throw new Error(`${scenario.id}: the child process exited with ${child.status}`);
    return JSON.parse(child.stdout) as RoundResult;
  });
}

async function worker(id: string, time: number): Promise<void> {
  const scenario = scenarioById(id);
  if (!scenario) throw new Error(`unknown scenario ${id}`);
  await scenario.verify();
  const [result] = await runRound([scenario], time);
  print(JSON.stringify(result));
}

async function main(): Promise<void> {
  const time = Number(args.time);
  if (args.worker !== undefined) return worker(args.worker, time);
  const env = environment();
  const scenarios = allScenarios().filter((s) => args.filter === undefined || s.id.includes(args.filter));
  for (const scenario of scenarios) await scenario.verify();
  const roundCount = Number(args.rounds);
  const mode = args.isolate ? 'each scenario in its own process' : 'all scenarios in one process';
  print(
    `${scenarios.length} scenarios verified; ${roundCount} rounds of ${time} ms each, ${mode}, on ${env.cpu}, Node ${env.node}\n`,
  );

  const rounds: RoundResult[][] = [];
  for (let round = 0; round < roundCount; round++) {
    const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
    rounds.push(args.isolate ? runIsolatedRound(order, time) : await runRound(order, time));
    print(`round ${round + 1}/${roundCount} done\n`);
  }
  const rows = summarise(rounds, new Map(scenarios.map((s) => [s.id, s.description])));

  const cli: CliResult = args['no-cli']
    ? { status: 'skipped', reason: '--no-cli' }
    : await measureCli(Number(args['cli-lines']), roundCount);
  const startup: StartupResult = args['no-startup']
    ? { status: 'skipped', reason: '--no-startup' }
    : measureStartup(Number(args['startup-runs']));
  const targets = evaluateTargets(rows, cli, startup);
  const loadAfter = os.loadavg()[0] ?? 0;

  print(`\n${formatRows(rows)}\n${formatCli(cli)}\n${formatTargets(targets)}`);
  print(`\nload average (1 min): ${env.loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after\n`);
  mkdirSync(path.dirname(args.out), { recursive: true });
  writeFileSync(
    args.out,
    `${JSON.stringify({ environment: { ...env, loadAfter }, options: { time, rounds: roundCount, filter: args.filter ?? null, isolate: args.isolate }, rows, cli, startup, targets }, null, 2)}\n`,
  );
  print(`results written to ${args.out}\n`);
}

await main();
