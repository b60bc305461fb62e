import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/generate.ts';

describe('generated artefacts', () => {
  it.each(Object.entries(generatedFiles()))('%s is up to date (run `npm run generate`)', (path, expected) => {
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });
});
