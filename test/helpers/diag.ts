import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, beforeEach } from 'vitest';

/**
 * Collects what is reported through `diag` at `level` or above, fresh for each test of the file
 * that calls it (call it at the top level of a test file).
 */
export function collectDiag(level: DiagLogLevel = DiagLogLevel.WARN): string[] {
  const messages: string[] = [];
  const push = (message: string) => {
    messages.push(message);
  };
  const ignore = () => {};
  const logger: DiagLogger = { error: push, warn: push, info: ignore, debug: ignore, verbose: ignore };
  beforeEach(() => {
    messages.length = 0;
    diag.setLogger(logger, level);
  });
  afterEach(() => diag.disable());
  return messages;
}
