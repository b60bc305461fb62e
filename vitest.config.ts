import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The OpenTelemetry JS 2.x line, installed side by side in test/otel-2x (an npm workspace). */
const otel2 = fileURLToPath(new URL('./test/otel-2x/node_modules/@opentelemetry/', import.meta.url));
const swapped = ['api', 'resources', 'sdk-logs', 'sdk-metrics', 'exporter-logs-otlp-http', 'exporter-logs-otlp-proto'];

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'otel3', include: ['test/**/*.test.ts'], testTimeout: 20_000 },
      },
      {
        // The same SDK-facing tests against sdk-logs 0.2xx / api 1.9 (run on the system Node by `npm run test:otel2`).
        resolve: {
          alias: swapped.map((name) => ({
            find: new RegExp(`^@opentelemetry/${name}$`),
            replacement: `${otel2}${name}`,
          })),
        },
        test: { name: 'otel2', include: ['test/sdk/**/*.test.ts'], testTimeout: 20_000 },
      },
    ],
  },
});
