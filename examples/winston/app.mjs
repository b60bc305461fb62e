// winston through @opentelemetry/winston-transport: the transport emits to the global logger
// provider of the Logs API it was built on (@opentelemetry/api-logs), so we register ours there.
import { logs } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';
import { PlatformErrorProcessor } from 'otel-platform-errors';
import winston from 'winston';

const provider = new LoggerProvider({
  processors: [
    new PlatformErrorProcessor({ processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })] }),
  ],
});
logs.setGlobalLoggerProvider(provider);

const logger = winston.createLogger({ transports: [new winston.transports.Console(), new OpenTelemetryTransportV3()] });
logger.error('Cloudflare LB alert: DOWN | Origin - api-1 | Pool - eu-west | TCP connection failed');
// Metadata becomes record attributes: a Cloudflare API error object is recognised there.
logger.error('dns update failed', { success: false, errors: [{ code: 81057, message: 'Record already exists.' }] });
logger.info('cache warmed in 120ms');

await provider.shutdown();
console.log('winston example: done');
