// NodeSDK: pass the enricher as the only log record processor, with the exporter inside it.
// (Passing logRecordProcessors replaces NodeSDK's env-driven log exporter, so we add our own.)
import { logs } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PlatformErrorProcessor } from 'otel-platform-errors';

const sdk = new NodeSDK({
  serviceName: 'nodesdk-example',
  logRecordProcessors: [
    new PlatformErrorProcessor({
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })],
    }),
  ],
});
sdk.start();

const logger = logs.getLogger('worker');
logger.emit({
  body: '2026-11-21T10:02:13+00:00 heroku[router]: at=error code=H10 desc="App crashed" method=GET path="/" host=api.example.com fwd=203.0.113.9 dyno= connect= service= status=503 bytes=',
});
logger.emit({ body: 'job 7 finished in 812ms' });

await sdk.shutdown();
console.log('nodesdk example: sent 2 records');
