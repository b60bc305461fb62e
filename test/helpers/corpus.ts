import { readdirSync, readFileSync } from 'node:fs';

/** One real log line of test/corpus/<platform>.jsonl. */
export interface CorpusLine {
  line: string;
  /** The code a tagger must set as error.type, or null for a line that must stay untagged. */
  expect: string | null;
  /** The nested cause code, where the line has one. */
  cause?: string;
  source: string;
  form: string;
  note?: string;
}

export interface CorpusFile {
  platform: string;
  lines: CorpusLine[];
}

/** Every test/corpus/<platform>.jsonl: real lines copied from public sources, never edited. */
export function corpusFiles(): CorpusFile[] {
  const dir = new URL('../corpus/', import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => ({
      platform: f.replace(/\.jsonl$/, ''),
      lines: readFileSync(new URL(f, dir), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as CorpusLine),
    }));
}
