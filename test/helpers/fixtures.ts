import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface Fixture {
  name: string;
  body?: string;
  body_json?: unknown;
  attributes?: Record<string, unknown>;
  resource?: Record<string, unknown>;
  expect?: { code: string; cause?: string; fields?: Record<string, string | number> };
  why?: string;
}

export interface FixtureFile {
  platform: string;
  positives: Fixture[];
  message_only?: Fixture[];
  negatives: Fixture[];
}

/** One fixture file (a platform's positives and look-alikes). */
export function readFixtureFile(path: string | URL): FixtureFile {
  return parse(readFileSync(path, 'utf8')) as FixtureFile;
}

/** Every test/fixtures/<platform>.yaml. */
export function fixtureFiles(): FixtureFile[] {
  const dir = new URL('../fixtures/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFixtureFile(new URL(f, dir)));
}

export const bodyOf = (f: Fixture): unknown => (f.body_json !== undefined ? f.body_json : f.body);
