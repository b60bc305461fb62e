import { fileURLToPath } from 'node:url';

/** The package root (with a trailing slash): src/catalog/ and dist/catalog/ both sit two levels below it. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a file in the built-in catalog/ folder. */
export function catalogPath(file: string): string {
  return `${packageRoot}catalog/${file}`;
}
