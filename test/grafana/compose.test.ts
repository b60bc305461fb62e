/**
 * The docker-compose demo cannot run here (no Docker engine); this checks what can go wrong
 * without running it: missing mounted files and endpoints, ports or uids that disagree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withDefaults } from './collector.ts';

const DIR = 'examples/docker-compose';

interface Service {
  image: string;
  command?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
}

const compose = parse(readFileSync(`${DIR}/compose.yaml`, 'utf8')) as { services: Record<string, Service> };
const services = compose.services;
const read = (path: string): unknown => parse(readFileSync(path, 'utf8'));

/** Bind mounts of a service: host path (resolved from the compose file's folder) → container path. */
function mounts(name: string): Array<{ host: string; container: string }> {
  return (services[name]?.volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter((parts) => (parts[0] as string).startsWith('.'))
    .map(([host, container]) => ({ host: resolve(DIR, host as string), container: container as string }));
}

/** The host file mounted at a container path, or inside a mounted folder. */
function hostPathOf(name: string, container: string): string | undefined {
  for (const mount of mounts(name)) {
    if (mount.container === container) return mount.host;
    if (container.startsWith(`${mount.container}/`))
      return resolve(mount.host, container.slice(mount.container.length + 1));
  }
  return undefined;
}

const otel = withDefaults(read('otel-config.yaml')) as {
  receivers: { otlp: { protocols: { http: { endpoint: string } } } };
};
const loki = read(`${DIR}/loki.yaml`) as {
  auth_enabled: boolean;
  server: { http_listen_port: number };
  common: { storage: { filesystem: { rules_directory: string } } };
  limits_config: { allow_structured_metadata: boolean };
  schema_config: { configs: Array<{ schema: string; store: string }> };
};
const lokiUrl = (service: string) => `http://${service}:${loki.server.http_listen_port}`;

describe('examples/docker-compose/compose.yaml (not run here: structure only)', () => {
  it('runs the four services from pinned images', () => {
    expect(Object.keys(services).sort()).toEqual(['app', 'collector', 'grafana', 'loki']);
    for (const [name, service] of Object.entries(services)) expect(service.image, name).toMatch(/:(?!latest$)[\w.-]+$/);
  });

  it('mounts only files that exist', () => {
    for (const name of Object.keys(services))
      for (const { host } of mounts(name)) expect(existsSync(host), `${name}: ${host}`).toBe(true);
  });

  it("gives the Collector the repository's otel-config.yaml at the path its --config names", () => {
    const config = services.collector?.command?.find((arg) => arg.startsWith('--config='))?.slice('--config='.length);
    expect(hostPathOf('collector', config as string)).toBe(resolve('otel-config.yaml'));
  });

  it("points the app at the Collector's OTLP/HTTP port and the Collector at Loki's /otlp", () => {
    const app = new URL(services.app?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT as string);
    expect(app.hostname).toBe('collector');
    expect(app.port).toBe(otel.receivers.otlp.protocols.http.endpoint.split(':').at(-1));
    expect(services.collector?.environment?.LOKI_ENDPOINT).toBe(`${lokiUrl('loki')}/otlp`);
  });

  it('runs Loki with structured metadata, schema v13 and the ruler rules where the ruler reads them', () => {
    const config = services.loki?.command?.find((arg) => arg.startsWith('-config.file='))?.split('=')[1];
    expect(hostPathOf('loki', config as string)).toBe(resolve(DIR, 'loki.yaml'));
    expect(loki.limits_config.allow_structured_metadata).toBe(true);
    for (const schema of loki.schema_config.configs) expect(schema).toMatchObject({ schema: 'v13', store: 'tsdb' });
    // Without auth the tenant is "fake": rules live in <rules_directory>/fake/.
    expect(loki.auth_enabled).toBe(false);
    const rules = mounts('loki').find((m) => m.host === resolve('examples/grafana/loki-rules.yaml'));
    expect(posix.dirname(rules?.container as string)).toBe(`${loki.common.storage.filesystem.rules_directory}/fake`);
  });

  it('provisions Grafana with the Loki data source the dashboard and the alert use', () => {
    const datasources = read(hostPathOf('grafana', '/etc/grafana/provisioning/datasources/loki.yaml') as string) as {
      datasources: Array<{ type: string; uid: string; url: string }>;
    };
    const [datasource] = datasources.datasources;
    expect(datasource).toMatchObject({ type: 'loki', url: lokiUrl('loki') });
    const alerting = read(hostPathOf('grafana', '/etc/grafana/provisioning/alerting/platform-faults.yaml') as string);
    const uids = JSON.stringify(alerting).match(/"datasourceUid":"[^"]+"/g) ?? [];
    expect(uids.filter((u) => !u.includes('__expr__'))).toEqual([`"datasourceUid":"${datasource?.uid}"`]);
    const provider = read(
      hostPathOf('grafana', '/etc/grafana/provisioning/dashboards/platform-errors.yaml') as string,
    ) as { providers: Array<{ options: { path: string } }> };
    const dashboard = mounts('grafana').find((m) => m.host.endsWith('platform-errors-dashboard.json'));
    expect(posix.dirname(dashboard?.container as string)).toBe(provider.providers[0]?.options.path);
    expect(dirname(dashboard?.host as string)).toBe(resolve('examples/grafana'));
  });
});
