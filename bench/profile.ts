/**
 * Runs one scenario in a loop so a profiler sees only it:
 *
 *   node --experimental-strip-types --cpu-prof --cpu-prof-dir=bench/results/profiles bench/profile.ts emit/processor/typical110 [seconds]
 */
import { allScenarios, scenarioById } from './scenarios/index.ts';

const [id = '', seconds = '5'] = process.argv.slice(2);
const scenario = scenarioById(id);
if (!scenario) {
  console.error(
    `unknown scenario "${id}"; one of:\n${allScenarios()
      .map((s) => `  ${s.id}`)
      .join('\n')}`,
  );
  process.exit(2);
}
await scenario.verify();
scenario.setup?.();
const until = Date.now() + Number(seconds) * 1000;
let calls = 0;
while (Date.now() < until) {
  await scenario.run();
  calls++;
}
process.stdout.write(`${id}: ${((Number(seconds) * 1e9) / (calls * scenario.recordsPerCall)).toFixed(0)} ns/record\n`);
