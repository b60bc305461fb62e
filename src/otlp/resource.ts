import { defaultResource, detectResources, envDetector, type Resource } from '@opentelemetry/resources';

/**
 * The resource an OTel SDK would give this process: the SDK defaults (`telemetry.sdk.*`,
 * `service.name=unknown_service:node`) overlaid with OTEL_RESOURCE_ATTRIBUTES and
 * OTEL_SERVICE_NAME, read by the SDK's own env detector, so `service.name` is what the user set.
 */
export function environmentResource(): Resource {
  return defaultResource().merge(detectResources({ detectors: [envDetector] }));
}
