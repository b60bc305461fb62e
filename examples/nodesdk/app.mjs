// NodeSDK: the enricher in front of the very exporters NodeSDK would build from the environment
// (OTEL_LOGS_EXPORTER, OTEL_EXPORTER_OTLP_*, OTEL_BLRP_*). NodeSDK stops reading those variables
// once `logRecordProcessors` is passed, so logRecordProcessorsFromEnv() reads them as it would.
import { logs } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PlatformErrorProcessor } from 'otel-platform-errors';
import { logRecordProcessorsFromEnv } from 'otel-platform-errors/env';

const sdk = new NodeSDK({
  serviceName: 'nodesdk-example',
  logRecordProcessors: [new PlatformErrorProcessor({ processors: logRecordProcessorsFromEnv() })],
});
sdk.start();

const logger = logs.getLogger('worker');
logger.emit({
  body: '2026-11-21T10:02:13+00:00 heroku[router]: at=error code=H10 desc="App crashed" method=GET path="/" host=api.example.com fwd=203.0.113.9 dyno= connect= service= status=503 bytes=',
});
logger.emit({ body: 'job 7 finished in 812ms' });

await sdk.shutdown();
console.log('nodesdk example: sent 2 records');
