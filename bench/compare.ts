/**
 * Before/after for an optimisation: the processor of a baseline checkout and the working tree's,
 * side by side in one process, round by round, on every corpus shape. Reports the cost each adds
 * over a bare emit (paired per round) and their ratio.
 *
 *   git archive HEAD | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
 *   node --experimental-strip-types bench/compare.ts --baseline=/tmp/base [--rounds=7] [--time=250]
 */
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { PlatformErrorProcessor } from '../src/processor/PlatformErrorProcessor.ts';
import { appLines, mixedStream, platformLines, type Sample } from './corpus.ts';
import { bare, type Pipeline, pipelineOf } from './pipelines.ts';
import { median } from './report.ts';
import { emitLoop } from './scenario.ts';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    time: { type: 'string', default: '250' },
  },
});
if (!args.baseline) {
  console.error('--baseline=<directory of a checkout> is required');
  process.exit(2);
}

const PER_CALL = 256;
type ProcessorClass = typeof PlatformErrorProcessor;
const baselineModule = `${args.baseline}/src/processor/PlatformErrorProcessor.ts`;
const { PlatformErrorProcessor: Baseline } = (await import(baselineModule)) as {
  PlatformErrorProcessor: ProcessorClass;
};

const inputs: Record<string, Sample[]> = {
  ...Object.fromEntries(Object.entries({ ...appLines, ...platformLines }).map(([name, sample]) => [name, [sample]])),
  mix: mixedStream(),
};
const withProcessor = (Processor: ProcessorClass): Pipeline =>
  pipelineOf((sink) => new Processor({ processors: [sink] }));

const tasks = Object.entries(inputs).flatMap(([name, samples]) => [
  { id: `${name}/bare`, run: emitLoop(bare(), samples, PER_CALL) },
  { id: `${name}/baseline`, run: emitLoop(withProcessor(Baseline), samples, PER_CALL) },
  { id: `${name}/current`, run: emitLoop(withProcessor(PlatformErrorProcessor), samples, PER_CALL) },
]);

const rounds: Array<Map<string, number>> = [];
for (let round = 0; round < Number(args.rounds); round++) {
  const bench = new Bench({ time: Number(args.time), warmupTime: Number(args.time) / 4, throws: true });
  for (const task of round % 2 === 0 ? tasks : [...tasks].reverse()) bench.add(task.id, task.run);
  await bench.run();
  const perRecord = (id: string) => {
    const result = bench.getTask(id)?.result;
    return result && 'latency' in result ? (result.latency.p50 * 1e6) / PER_CALL : Number.NaN;
  };
  rounds.push(new Map(tasks.map((task) => [task.id, perRecord(task.id)])));
}

const lines = [
  '| input | bare emit | baseline adds | current adds | current ÷ baseline |',
  '| --- | --- | --- | --- | --- |',
];
for (const name of Object.keys(inputs)) {
  const series = (kind: string) => rounds.map((round) => round.get(`${name}/${kind}`) ?? Number.NaN);
  const [base, before, after] = [series('bare'), series('baseline'), series('current')];
  const added = (values: number[]) => values.map((value, i) => value - (base[i] ?? Number.NaN));
  const ratio = median(added(after).map((value, i) => value / (added(before)[i] ?? Number.NaN)));
  const cells = [median(base), median(added(before)), median(added(after))].map((v) => `${v.toFixed(0)} ns`);
  lines.push(`| ${name} | ${cells.join(' | ')} | ${ratio.toFixed(2)} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
