/**
 * Extracts the facts the tests need from the three seed documents (the platforms' error-code
 * pages the product was specified from) into test/seeds/seeds.json: each code with its title,
 * platform and family, the platform-fault statements, and the example log lines the pages give.
 * The documents themselves live outside the repository (`../shared/reference/seeds/` beside a CI
 * checkout); only these facts are committed, so a plain clone can run every test.
 *
 *   npm run seeds:extract [-- DIR]     (DIR defaults to ../shared/reference/seeds)
 *
 * test/seeds/seeds.test.ts compares the committed file with a fresh extraction when DIR exists.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_SEEDS_DIR = fileURLToPath(new URL('../../shared/reference/seeds/', import.meta.url));
export const SEEDS_FILE = fileURLToPath(new URL('../test/seeds/seeds.json', import.meta.url));

export interface HerokuSeedCode {
  code: string;
  /** The section heading's title, as the seed page writes it. */
  title: string;
  /** H, R or L: the first letter. */
  family: string;
  /** The page's example log lines that carry this code. */
  lines: string[];
}

export interface FlySeedCode {
  code: string;
  /** P, U, C, T, M, A, E or R: the second letter. */
  family: string;
  /** The section title, where the draft has a section for the code. */
  title?: string;
  /** The raw proxy message of the draft's code list (placeholders such as `{}` kept). */
  message?: string;
  /** Whether the section's prose calls the error internal to Fly.io (sections only). */
  internal?: boolean;
}

export interface CloudflareSeedReason {
  /** The section heading: the failure reason or error as the page names it. */
  heading: string;
  /** Its slug, the heading's URL fragment and our code for it. */
  id: string;
}

export interface CloudflareSeedApiExample {
  /** The numeric `errors[].code` of the example API response. */
  code: number;
  /** The section the example is printed under. */
  heading: string;
  /** The example API response, parsed. */
  envelope: unknown;
}

export interface SeedFacts {
  heroku: { codes: HerokuSeedCode[]; platform_faults: string[] };
  fly: { codes: FlySeedCode[] };
  cloudflare: { reasons: CloudflareSeedReason[]; api_examples: CloudflareSeedApiExample[] };
}

/** The platforms' rule for heading fragments (lower case, punctuation dropped, words joined by `-`). */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function seedText(dir: string, marker: string): string {
  for (const name of readdirSync(dir).sort()) {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    if (text.includes(marker)) return text;
  }
  throw new Error(`${dir}: no seed document contains "${marker}"`);
}

function herokuFacts(text: string): SeedFacts['heroku'] {
  const codes = text
    .split(/^## /m)
    .slice(1)
    .map((section) => {
      const [heading = ''] = section.split('\n');
      const code = heading.slice(0, 3);
      // "H12 - Request timeout"; one heading's dash is mojibake ("R16 â€“Â Detached").
      const title = heading.replace(/^[A-Z][0-9]{2}\s*\S+\s*/, '').trim();
      const carries = new RegExp(`code=${code}\\b|\\b${code} \\(|Error ${code}\\b`);
      const lines = section.split('\n').filter((l) => /^\d{4}-/.test(l) && carries.test(l));
      return { code, title, family: code.slice(0, 1), lines };
    });
  const callout =
    /([HR][0-9]{2}) and ([HR][0-9]{2}) are the only error codes that represent errors in the Heroku platform/.exec(
      text,
    );
  return { codes, platform_faults: callout ? [callout[1] as string, callout[2] as string] : [] };
}

function flyFacts(text: string): SeedFacts['fly'] {
  const codes: FlySeedCode[] = [];
  for (const part of text.split(/^#### /m).slice(1)) {
    const [heading = '', ...body] = part.split('\n');
    const m = /^(P[A-Z][0-9]{2}): (.*)$/.exec(heading);
    if (!m) continue;
    const code = m[1] as string;
    const prose = body.join('\n').split(/^ {4}P/m)[0] ?? '';
    codes.push({
      code,
      family: code.slice(1, 2),
      title: (m[2] as string).trim(),
      // PP01 sits under the "Internal Errors" heading; the others say so in their own prose.
      internal: code === 'PP01' || /internal Fly\.io|internal to the Fly proxy/i.test(prose),
    });
  }
  for (const m of text.matchAll(/^ {4}(P[A-Z][0-9]{2}), \/\/ (.*)$/gm)) {
    const code = m[1] as string;
    codes.push({ code, family: code.slice(1, 2), message: (m[2] as string).trim() });
  }
  return { codes };
}

function cloudflareFacts(text: string): SeedFacts['cloudflare'] {
  const sections = text.split(/^## /m).slice(1);
  const reasons = sections.map((section) => {
    const heading = (section.split('\n')[0] ?? '').trim();
    return { heading, id: slug(heading) };
  });
  const api_examples = sections.flatMap((section) => {
    const heading = (section.split('\n')[0] ?? '').trim();
    return [...section.matchAll(/^```\s*\n(\{[\s\S]*?\n\})\s*\n/gm)].flatMap((m) => {
      const envelope = JSON.parse(m[1] as string) as { errors?: Array<{ code?: unknown }> };
      return (envelope.errors ?? [])
        .filter((e) => typeof e.code === 'number')
        .map((e) => ({ code: e.code as number, heading, envelope }));
    });
  });
  return { reasons, api_examples };
}

/** Reads the three seed documents in `dir`. */
export function extractSeeds(dir: string = DEFAULT_SEEDS_DIR): SeedFacts {
  return {
    heroku: herokuFacts(seedText(dir, 'title: Heroku Error Codes')),
    fly: flyFacts(seedText(dir, 'title: Fly.io Error Codes')),
    cloudflare: cloudflareFacts(seedText(dir, '# Common error codes')),
  };
}

export function seedsJson(facts: SeedFacts): string {
  return `${JSON.stringify(facts, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? DEFAULT_SEEDS_DIR;
  if (!existsSync(dir)) {
    process.stderr.write(`extract-seeds: ${dir} not found (the seed documents live beside a CI checkout)\n`);
    process.exit(2);
  }
  writeFileSync(SEEDS_FILE, seedsJson(extractSeeds(dir)));
  process.stdout.write(`wrote ${SEEDS_FILE}\n`);
}
