import type { LogRecordExporter } from '@opentelemetry/sdk-logs';

/** Thrown for an OTLP setting `enrich` cannot honour; the CLI prints it as a usage error. */
export class OtlpSetupError extends Error {}

type ExporterModule = { OTLPLogExporter: new (config?: { url?: string }) => LogRecordExporter };

/**
 * The OTLP log exporter for `--otlp`: http/protobuf unless OTEL_EXPORTER_OTLP_(LOGS_)PROTOCOL says
 * http/json. Without a URL the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
 * The exporter packages are optional peer dependencies, loaded only when exporting.
 */
export async function createOtlpExporter(url: string | undefined, env: NodeJS.ProcessEnv): Promise<LogRecordExporter> {
  const protocol = env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  const pkg =
    protocol === 'http/json'
      ? '@opentelemetry/exporter-logs-otlp-http'
      : protocol === 'http/protobuf'
        ? '@opentelemetry/exporter-logs-otlp-proto'
        : undefined;
  if (!pkg)
    throw new OtlpSetupError(`OTLP protocol "${protocol}" is not supported by enrich; use http/protobuf or http/json`);
  let module: ExporterModule;
  try {
    module = (await import(pkg)) as ExporterModule;
  } catch {
    throw new OtlpSetupError(`--otlp needs the package ${pkg}: npm install ${pkg}`);
  }
  if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url))
    throw new OtlpSetupError(`--otlp: "${url}" is not an http(s) URL`);
  return new module.OTLPLogExporter(url === undefined ? {} : { url });
}
