import type { Catalog } from '../catalog/Catalog.ts';

const cache = new WeakMap<Catalog, Map<string, readonly string[]>>();

/**
 * The shapes of a platform's codes: its families' `code_pattern`s without their anchors, so a
 * family a user catalog adds is found in text and in the pre-filter like a built-in one.
 */
export function codeShapes(catalog: Catalog, platform: string): readonly string[] {
  let byPlatform = cache.get(catalog);
  if (!byPlatform) {
    byPlatform = new Map();
    cache.set(catalog, byPlatform);
  }
  let shapes = byPlatform.get(platform);
  if (!shapes) {
    shapes = (catalog.platform(platform)?.families ?? []).map((f) =>
      f.code_pattern.replace(/^\^/, '').replace(/\$$/, ''),
    );
    byPlatform.set(platform, shapes);
  }
  return shapes;
}
