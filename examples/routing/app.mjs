// Route platform faults to their own exporter (e.g. a collector pipeline that pages someone),
// while every record still goes to the normal one.
// Run: OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 PAGER_OTLP_URL=http://pager:4318/v1/logs node examples/routing/app.mjs
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PlatformErrorProcessor } from 'otel-platform-errors';

const provider = new LoggerProvider({
  processors: [
    new PlatformErrorProcessor({
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })],
      // Only records whose code the platform's own docs call a platform error (H99, R99, PU03, …).
      platformFaultProcessors: [
        new SimpleLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: process.env.PAGER_OTLP_URL ?? 'http://localhost:4319/v1/logs' }),
        }),
      ],
    }),
  ],
});

const logger = provider.getLogger('router-drain');
logger.emit({
  body: 'at=error code=H99 desc="Platform error" method=GET path=/ host=shop.herokuapp.com dyno= connect= service= status=503 bytes=',
});
logger.emit({
  body: 'at=error code=H12 desc="Request timeout" method=GET path=/slow host=shop.herokuapp.com dyno=web.1 connect=1ms service=30000ms status=503 bytes=0',
});
logger.emit({ body: '2026-11-21T09:16:11Z proxy[e2862692b79d68] ams [error][PU03] unreachable worker host' });

await provider.shutdown();
console.log('routing example: 3 records to the main exporter, platform faults also to the pager');
