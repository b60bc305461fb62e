/**
 * Start-up cost: `import` of the built package plus the first `new PlatformErrorProcessor()`, each
 * run in a fresh process so nothing is cached. Measured twice: in an app that already loaded the
 * OpenTelemetry API and SDK (what adding the processor costs), and from nothing (everything cold).
 * Needs `dist/` (npm run build); skipped with the reason otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { median, type StartupResult } from './report.ts';

const ENTRY = new URL('../dist/index.js', import.meta.url).href;

/** The child's program: prints the milliseconds from before the import to after the first `new`. */
function program(preload: boolean): string {
  return [
    preload ? "await import('@opentelemetry/api'); await import('@opentelemetry/sdk-logs');" : '',
    'const started = performance.now();',
    `const { PlatformErrorProcessor } = await import(${JSON.stringify(ENTRY)});`,
    'new PlatformErrorProcessor();',
    'process.stdout.write(String(performance.now() - started));',
  ].join('\n');
}

function once(preload: boolean): number {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', program(preload)], {
    cwd: new URL('..', import.meta.url).pathname,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`start-up probe failed: ${child.stderr}`);
  return Number(child.stdout);
}

export function measureStartup(runs: number): StartupResult {
  if (!existsSync(new URL(ENTRY))) return { status: 'skipped', reason: 'dist/index.js is missing (npm run build)' };
  const warm: number[] = [];
  const cold: number[] = [];
  // Interleaved, so load on the machine hits both alike.
  for (let i = 0; i < runs; i++) {
    warm.push(once(true));
    cold.push(once(false));
  }
  return { status: 'measured', runs, withSdkLoadedMs: median(warm), coldMs: median(cold) };
}
