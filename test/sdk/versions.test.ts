/**
 * Proves which OpenTelemetry versions and Node the SDK-facing tests ran on: the root install
 * (`otel3`, the highest 3.x) or one of test/compat/<name> (`npm run test:compat`).
 */
import { readFileSync } from 'node:fs';
import * as api from '@opentelemetry/api';
import * as sdkLogs from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import { compatPackageDir } from '../../vitest.config.ts';

const compat = process.env.OTEL_COMPAT;
const dir = (pkg: string): string =>
  compat
    ? compatPackageDir(compat, pkg)
    : new URL(`../../node_modules/@opentelemetry/${pkg}`, import.meta.url).pathname;
const installed = (pkg: string): string =>
  (JSON.parse(readFileSync(`${dir(pkg)}/package.json`, 'utf8')) as { version: string }).version;
/** The versions test/compat/<name>/package.json pins: the claimed bounds. */
const claimed = compat
  ? (
      JSON.parse(readFileSync(new URL(`../compat/${compat}/package.json`, import.meta.url), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies
  : undefined;

describe(`OpenTelemetry JS ${compat ?? 'root install'} on Node ${process.versions.node}`, () => {
  const version = installed('sdk-logs');
  const line = version.startsWith('0.') ? 2 : 3;

  it('loads the SDK and API of that install', () => {
    expect(typeof sdkLogs.LoggerProvider).toBe('function');
    if (claimed) {
      expect(version).toBe(claimed['@opentelemetry/sdk-logs']);
      expect(installed('api')).toBe(claimed['@opentelemetry/api']);
    }
    // The Logs API moved into @opentelemetry/api 1.10 (3.x line); api 1.9 (2.x line) has no `logs`.
    expect('logs' in api).toBe(line === 3);
    process.stdout.write(`\nsdk-logs ${version}, api ${installed('api')}, Node ${process.versions.node}\n`);
  });

  it('runs the 3.x line on Node ≥ 22.15, as it requires', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    if (line === 3) expect(major > 22 || (major === 22 && minor >= 15)).toBe(true);
  });
});
