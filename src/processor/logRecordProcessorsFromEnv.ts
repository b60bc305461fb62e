import { createRequire } from 'node:module';
import { diag } from '@opentelemetry/api';
import { OTLPLogExporter as OTLPLogExporterJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPLogExporterProto } from '@opentelemetry/exporter-logs-otlp-proto';
import {
  BatchLogRecordProcessor,
  ConsoleLogRecordExporter,
  type LogRecordExporter,
  type LogRecordProcessor,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';

const require = createRequire(import.meta.url);

/** A non-negative number from the environment, as the SDK reads its OTEL_BLRP_* settings. */
function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (Number.isFinite(value) && value >= 0) return value;
  diag.warn(`otel-platform-errors: ${name}="${raw}" is not a non-negative number; it is ignored`);
  return undefined;
}

function otlpExporter(): LogRecordExporter {
  const protocol =
    (process.env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim() ||
    'http/protobuf';
  switch (protocol) {
    case 'http/json':
      return new OTLPLogExporterJson();
    case 'grpc': {
      // An optional package (it brings gRPC): loaded only when asked for.
      const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-grpc') as {
        OTLPLogExporter: new () => LogRecordExporter;
      };
      return new OTLPLogExporter();
    }
    case 'http/protobuf':
      return new OTLPLogExporterProto();
    default:
      diag.warn(`otel-platform-errors: unsupported OTLP logs protocol "${protocol}"; using http/protobuf`);
      return new OTLPLogExporterProto();
  }
}

/**
 * The log record processors NodeSDK builds from the environment when it is given none —
 * OTEL_LOGS_EXPORTER (`otlp` by default, `console`, `none`, comma-separated), the OTLP protocol
 * and endpoint variables, OTEL_BLRP_* for the batch processor — so NodeSDK users can put the
 * enricher in front of exactly those:
 *
 * ```js
 * new NodeSDK({ logRecordProcessors: [new PlatformErrorProcessor({ processors: logRecordProcessorsFromEnv() })] });
 * ```
 *
 * NodeSDK ignores OTEL_LOGS_EXPORTER as soon as `logRecordProcessors` is passed; this reads it
 * the way NodeSDK would. The gRPC exporter is used only when the protocol is `grpc`, and then
 * `@opentelemetry/exporter-logs-otlp-grpc` must be installed.
 */
export function logRecordProcessorsFromEnv(): LogRecordProcessor[] {
  const names = [
    ...new Set(
      (process.env.OTEL_LOGS_EXPORTER ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) names.push('otlp');
  if (names.includes('none')) return [];
  const batch = {
    maxQueueSize: numberFromEnv('OTEL_BLRP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: numberFromEnv('OTEL_BLRP_SCHEDULE_DELAY'),
    exportTimeoutMillis: numberFromEnv('OTEL_BLRP_EXPORT_TIMEOUT'),
    maxExportBatchSize: numberFromEnv('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE'),
  };
  const processors: LogRecordProcessor[] = [];
  for (const name of names) {
    if (name === 'otlp') processors.push(new BatchLogRecordProcessor({ exporter: otlpExporter(), ...batch }));
    else if (name === 'console')
      processors.push(new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }));
    else
      diag.warn(
        `otel-platform-errors: unsupported OTEL_LOGS_EXPORTER value "${name}" (supported: otlp, console, none)`,
      );
  }
  return processors;
}
