import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';

/** Query parameters become resource attributes: at most this many, each at most this long. */
const MAX_QUERY_ATTRIBUTES = 32;
const MAX_QUERY_VALUE = 256;
const CACHE = 1024;

/**
 * Resources from a receiver URL's query (`/heroku?service.name=shop&deployment.environment=prod`)
 * plus the receiver's own attributes (`cloud.provider`): one Resource object per distinct pair,
 * so the exporters keep their records in one ResourceLogs. Bounded: the cache is cleared when full.
 */
export class QueryResources {
  private readonly _cache = new Map<string, Resource>();

  /** `own` wins over the query: a sender cannot relabel `cloud.provider`. */
  get(search: string, own: Readonly<Record<string, string>>): Resource {
    let key = search;
    for (const name in own) key += `\u0000${name}=${own[name]}`;
    let resource = this._cache.get(key);
    if (!resource) {
      const attributes: Record<string, string> = {};
      let count = 0;
      for (const [name, value] of new URLSearchParams(search)) {
        if (name === '' || count++ >= MAX_QUERY_ATTRIBUTES) continue;
        attributes[name] = value.slice(0, MAX_QUERY_VALUE);
      }
      resource = resourceFromAttributes({ ...attributes, ...own });
      if (this._cache.size >= CACHE) this._cache.clear();
      this._cache.set(key, resource);
    }
    return resource;
  }
}
