/**
 * The seed documents' facts, read from the committed test/seeds/seeds.json (see
 * scripts/extract-seeds.ts), so a code the catalog forgot cannot hide behind a hand-typed list
 * and a plain clone needs nothing outside the repository.
 */
import { readFileSync } from 'node:fs';
import { SEEDS_FILE, type SeedFacts } from '../../scripts/extract-seeds.ts';

export { slug } from '../../scripts/extract-seeds.ts';

export const seeds: SeedFacts = JSON.parse(readFileSync(SEEDS_FILE, 'utf8')) as SeedFacts;
