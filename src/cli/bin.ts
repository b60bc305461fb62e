#!/usr/bin/env node
import { main } from './main.ts';

// Ctrl-C (or SIGTERM) stops reading and flushes what was accepted — enrich prints its summary,
// serve drains its requests and queue; a second signal exits at once.
const interrupt = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort();
  });
}

main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: interrupt.signal,
}).then(
  (code) => {
    // Exit once the output is written, even if an unreachable collector still has retries pending:
    // what could be flushed was flushed within the grace period.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`otel-platform-errors: internal error: ${String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = 70;
  },
);
