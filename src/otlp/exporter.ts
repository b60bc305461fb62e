import type { LogRecordExporter } from '@opentelemetry/sdk-logs';

/** Thrown for an OTLP setting that cannot be honoured; the CLI prints it as a usage error. */
export class OtlpSetupError extends Error {}

/** Protocols an OTLP/HTTP log exporter can speak, and the package that speaks each. */
const EXPORTER_PACKAGES = {
  'http/protobuf': '@opentelemetry/exporter-logs-otlp-proto',
  'http/json': '@opentelemetry/exporter-logs-otlp-http',
} as const;

type OtlpProtocol = keyof typeof EXPORTER_PACKAGES;

type ExporterModule = { OTLPLogExporter: new (config?: { url?: string }) => LogRecordExporter };

/** OTEL_EXPORTER_OTLP_LOGS_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf. */
function otlpProtocol(env: NodeJS.ProcessEnv): OtlpProtocol {
  const protocol = env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (!Object.hasOwn(EXPORTER_PACKAGES, protocol)) {
    throw new OtlpSetupError(`OTLP protocol "${protocol}" is not supported; use http/protobuf or http/json`);
  }
  return protocol as OtlpProtocol;
}

/**
 * Where the exporter will send: the URL given, else what the OTel exporters derive from the
 * environment (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT verbatim, OTEL_EXPORTER_OTLP_ENDPOINT + /v1/logs,
 * else http://localhost:4318/v1/logs). For messages only; the exporter reads the variables itself.
 */
export function otlpEndpoint(url: string | undefined, env: NodeJS.ProcessEnv): string {
  if (url !== undefined) return url;
  if (env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT) return env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/logs`;
  return 'http://localhost:4318/v1/logs';
}

/**
 * The OTel OTLP/HTTP log exporter for the configured protocol. Without a URL it reads the
 * standard OTEL_EXPORTER_OTLP_* variables (endpoint, headers, timeout, compression) itself.
 * The exporter packages are loaded only when exporting, so the processor alone never pays for them.
 */
export async function createOtlpLogExporter(
  url: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<LogRecordExporter> {
  const pkg = EXPORTER_PACKAGES[otlpProtocol(env)];
  if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url)) {
    throw new OtlpSetupError(`"${url}" is not an http(s) URL`);
  }
  let module: ExporterModule;
  try {
    module = (await import(pkg)) as ExporterModule;
  } catch {
    throw new OtlpSetupError(`exporting needs the package ${pkg}: npm install ${pkg}`);
  }
  return new module.OTLPLogExporter(url === undefined ? {} : { url });
}
