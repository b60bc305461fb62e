// pino through @opentelemetry/instrumentation-pino: pino's records become OTel log records and
// pass through the enricher. CommonJS on purpose: otel-platform-errors is ESM-only and loads
// through require(esm) (Node >= 20.19 / 22.12).
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino');
const { BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
const { PlatformErrorProcessor } = require('otel-platform-errors');

const sdk = new NodeSDK({
  serviceName: 'pino-example',
  instrumentations: [new PinoInstrumentation()],
  logRecordProcessors: [
    new PlatformErrorProcessor({ processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })] }),
  ],
});
sdk.start();

// Required after sdk.start() so the instrumentation can hook it.
const pino = require('pino');
const log = pino({ level: 'info' }, pino.destination({ dest: 1, sync: true }));
log.error('[PR04] could not find a good candidate within 21 attempts at load balancing');
// A logged object's fields become record attributes, and are recognised there like a structured body.
log.error({ at: 'error', code: 'H12', desc: 'Request timeout', path: '/checkout' }, 'router reported a timeout');
log.info({ orderId: 'ord_51x2' }, 'checkout completed');

sdk.shutdown().then(() => console.log('pino example: done'));
