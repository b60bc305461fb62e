// A plain Node app: LoggerProvider + PlatformErrorProcessor + OTLP exporter.
// Run: OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 node examples/plain/app.mjs
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { PlatformErrorProcessor } from 'otel-platform-errors';

const provider = new LoggerProvider({
  resource: resourceFromAttributes({ 'service.name': 'plain-example' }),
  // Register only the enricher; the exporting processor goes inside it, so it always runs second.
  processors: [
    new PlatformErrorProcessor({
      processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })],
    }),
  ],
});

const logger = provider.getLogger('checkout');
const lines = [
  'GET /api/orders 200 41ms',
  '2026-11-21T09:14:02+00:00 heroku[router]: at=error code=H12 desc="Request timeout" method=POST path="/checkout" host=shop.herokuapp.com fwd=198.51.100.7 dyno=web.2 connect=1ms service=30000ms status=503 bytes=0',
  '2026-11-21T09:15:40+00:00 heroku[web.1]: Error R14 (Memory quota exceeded)',
  '2026-11-21T09:16:11Z proxy[e2862692b79d68] ams [error][PC01] instance refused connection. is your app listening on 0.0.0.0:8080?',
  '{"result":null,"success":false,"errors":[{"code":1002,"message":"interval is not in range [0, 0]: validation failed"}],"messages":[]}',
];
for (const body of lines) logger.emit({ body });

await provider.shutdown(); // flushes the batch before exit
console.log(`plain example: sent ${lines.length} records`);
