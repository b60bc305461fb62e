/** Proves which OpenTelemetry line and Node the SDK-facing tests ran on (`otel3`: 3.x, `otel2`: 2.x). */
import * as api from '@opentelemetry/api';
import * as sdkLogs from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';

const line = process.env.OTEL_LINE === '2' ? 2 : 3;

describe(`OpenTelemetry JS ${line}.x line on Node ${process.versions.node}`, () => {
  it('loads the API and SDK of that line', () => {
    // The Logs API moved into @opentelemetry/api 1.10 (3.x line); api 1.9 (2.x line) has no `logs`.
    expect('logs' in api).toBe(line === 3);
    // sdk-logs 3.x dropped the deprecated aliases that 0.2xx still exports.
    expect(typeof sdkLogs.LoggerProvider).toBe('function');
    process.stdout.write(
      `\nOTel JS ${line}.x line (api has logs: ${'logs' in api}) on Node ${process.versions.node}\n`,
    );
  });

  it('runs the 3.x line on Node ≥ 22.15, as it requires', () => {
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    if (line === 3) expect(major > 22 || (major === 22 && minor >= 15)).toBe(true);
  });
});
