#!/usr/bin/env node
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`otel-platform-errors: internal error: ${String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = 70;
  },
);
