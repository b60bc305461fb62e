/**
 * Codes enumerated from the seed documents themselves (../shared/reference/seeds/), so a code the
 * catalog forgot cannot hide behind a hand-typed list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const seedsDir = fileURLToPath(new URL('../../../shared/reference/seeds/', import.meta.url));

function seed(titleLine: string): string {
  const name = readdirSync(seedsDir).find((f) => readFileSync(`${seedsDir}${f}`, 'utf8').includes(titleLine));
  if (!name) throw new Error(`no seed document contains "${titleLine}"`);
  return readFileSync(`${seedsDir}${name}`, 'utf8');
}

/** Same rule the platforms' sites use for heading fragments (platforms.md §1.4, §2.1, §3.1). */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export interface HerokuSeedCode {
  code: string;
  title: string;
  /** The seed's example log lines for this code (lines that carry it). */
  lines: string[];
}

export function herokuSeedCodes(): HerokuSeedCode[] {
  const text = seed('title: Heroku Error Codes');
  const sections = text.split(/^## /m).slice(1);
  return sections.map((section) => {
    const [heading = ''] = section.split('\n');
    const code = heading.slice(0, 3);
    const title = heading.replace(/^[A-Z][0-9]{2}\s*\S+\s*/, '').trim();
    const lines = section
      .split('\n')
      .filter((l) => new RegExp(`(code=${code}\\b|\\b${code}\\b.*\\()|Error ${code}\\b`).test(l) && /^\d{4}-/.test(l));
    return { code, title, lines };
  });
}

/** Codes the Heroku seed calls errors in the Heroku platform. */
export function herokuSeedPlatformFaults(): string[] {
  const text = seed('title: Heroku Error Codes');
  const callout =
    /([HR][0-9]{2}) and ([HR][0-9]{2}) are the only error codes that represent errors in the Heroku platform/.exec(
      text,
    );
  return callout ? [callout[1] as string, callout[2] as string] : [];
}

export interface FlySeedCode {
  code: string;
  /** The section title, or the draft comment for codes in the draft's list. */
  text: string;
  /** Whether the draft's own prose calls it internal to Fly.io (sections with prose only). */
  internal: boolean | undefined;
}

export function flySeedCodes(): FlySeedCode[] {
  const text = seed('title: Fly.io Error Codes');
  const codes: FlySeedCode[] = [];
  let section = '';
  for (const part of text.split(/^#### /m).slice(1)) {
    const [heading = '', ...body] = part.split('\n');
    const prose = body.join('\n').split(/^ {4}P/m)[0] ?? '';
    const m = /^(P[A-Z][0-9]{2}): (.*)$/.exec(heading);
    if (m) {
      section = part;
      codes.push({
        code: m[1] as string,
        text: m[2] as string,
        internal: /internal Fly\.io|internal to the Fly proxy/i.test(prose) || m[1] === 'PP01',
      });
    }
  }
  for (const m of section.matchAll(/^ {4}(P[A-Z][0-9]{2}), \/\/ (.*)$/gm)) {
    codes.push({ code: m[1] as string, text: m[2] as string, internal: undefined });
  }
  return codes;
}

export interface CloudflareSeedCode {
  heading: string;
  id: string;
}

export function cloudflareSeedReasons(): CloudflareSeedCode[] {
  const text = seed('# Common error codes');
  return [...text.matchAll(/^## (.+)$/gm)].map((m) => ({ heading: (m[1] as string).trim(), id: slug(m[1] as string) }));
}

/** API error codes in the seed's JSON examples, with the heading they appear under. */
export function cloudflareSeedApiCodes(): Array<{ code: number; heading: string }> {
  const text = seed('# Common error codes');
  return text
    .split(/^## /m)
    .slice(1)
    .flatMap((section) => {
      const heading = (section.split('\n')[0] ?? '').trim();
      return [...section.matchAll(/"code": ([0-9]+)/g)].map((m) => ({ code: Number(m[1]), heading }));
    });
}
