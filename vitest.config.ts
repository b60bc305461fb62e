import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** OpenTelemetry packages that test/compat/<name> installs at the versions the package claims. */
const swapped = ['api', 'resources', 'sdk-logs', 'sdk-metrics', 'exporter-logs-otlp-http', 'exporter-logs-otlp-proto'];

/**
 * Where a compat install's copy of a package is: its own node_modules, or — when npm hoisted it
 * because the root has the same version — the root's, as Node's own resolution would find it.
 */
export function compatPackageDir(name: string, pkg: string): string {
  const own = fileURLToPath(new URL(`./test/compat/${name}/node_modules/@opentelemetry/${pkg}`, import.meta.url));
  return existsSync(own) ? own : fileURLToPath(new URL(`./node_modules/@opentelemetry/${pkg}`, import.meta.url));
}

/** The SDK-facing tests (test/sdk) against one test/compat install (run by `npm run test:compat`). */
function compat(name: string) {
  return {
    resolve: {
      alias: swapped.map((pkg) => ({
        find: new RegExp(`^@opentelemetry/${pkg}$`),
        replacement: compatPackageDir(name, pkg),
      })),
    },
    test: { name, include: ['test/sdk/**/*.test.ts'], testTimeout: 20_000 },
  };
}

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'otel3', include: ['test/**/*.test.ts'], testTimeout: 20_000 } },
      compat('otel2-lowest'),
      compat('otel2-highest'),
      compat('otel3-lowest'),
    ],
  },
});
