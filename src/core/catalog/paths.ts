import { fileURLToPath } from 'node:url';

/** The package root (with a trailing slash): src/core/catalog/ and dist/core/catalog/ both sit three levels below it. */
export const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Absolute path of a file in the built-in catalog/ folder. */
export function catalogPath(file: string): string {
  return `${packageRoot}catalog/${file}`;
}
