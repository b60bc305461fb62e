/** Splits a byte stream into lines, batch by batch, without ever holding more than one capped line. */

export interface LineBatch {
  lines: string[];
  /** 1-based numbers of the lines in this batch that were cut at the length cap. */
  truncated: number[];
}

const NEWLINE = 0x0a;

/**
 * Yields the lines of each chunk as soon as the chunk arrives (so a pipe from `heroku logs --tail`
 * is enriched line by line), decoding UTF-8 with invalid bytes replaced by U+FFFD. A line longer
 * than `maxBytes` keeps its first `maxBytes` bytes; the rest is skipped up to the next newline.
 * A final line without a newline is yielded at the end.
 */
export async function* readLines(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<LineBatch> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false;
  let lineNumber = 0;

  /** Keeps as much of a piece of the current line as the cap allows; `copy` when the chunk may be reused. */
  const keep = (part: Buffer, copy: boolean): void => {
    const room = maxBytes - pendingBytes;
    if (part.length > room) overflow = true;
    if (part.length === 0 || room <= 0) return;
    const kept = part.length > room ? part.subarray(0, room) : part;
    pending.push(copy ? Buffer.from(kept) : kept);
    pendingBytes += kept.length;
  };

  const finish = (batch: LineBatch, tail: Buffer): void => {
    lineNumber++;
    keep(tail, false);
    let text = (pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending)).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    batch.lines.push(text);
    if (overflow) batch.truncated.push(lineNumber);
    pending = [];
    pendingBytes = 0;
    overflow = false;
  };

  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    const batch: LineBatch = { lines: [], truncated: [] };
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      finish(batch, chunk.subarray(start, nl));
      start = nl + 1;
    }
    // The rest of the chunk starts the next line; the stream may reuse the chunk's memory.
    keep(chunk.subarray(start), true);
    if (batch.lines.length > 0) yield batch;
  }
  if (pendingBytes > 0 || overflow) {
    const batch: LineBatch = { lines: [], truncated: [] };
    finish(batch, Buffer.alloc(0));
    yield batch;
  }
}
