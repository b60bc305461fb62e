/** The machine and versions a run was made on, recorded with every result file. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Environment {
  date: string;
  node: string;
  v8: string;
  cpu: string;
  cores: number;
  platform: string;
  otelSdkLogs: string;
  tinybench: string;
  gitCommit: string;
  /** Whether the working tree differed from the commit (other people edit it while we run). */
  gitDirty: boolean;
  /** 1-minute load average before the run: other processes on this machine add noise. */
  loadBefore: number;
}

function packageVersion(name: string): string {
  const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function environment(): Environment {
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    otelSdkLogs: packageVersion('@opentelemetry/sdk-logs'),
    tinybench: packageVersion('tinybench'),
    gitCommit: git('rev-parse', 'HEAD') || 'unknown',
    gitDirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    loadBefore: os.loadavg()[0] ?? 0,
  };
}
