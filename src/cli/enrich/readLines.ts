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

  const finish = (batch: LineBatch, tail: Buffer): void => {
    lineNumber++;
    const room = maxBytes - pendingBytes;
    if (!overflow && tail.length > room) overflow = true;
    if (tail.length > 0 && room > 0) pending.push(tail.length > room ? tail.subarray(0, room) : tail);
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
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      const room = maxBytes - pendingBytes;
      if (rest.length > room) overflow = true;
      if (room > 0) {
        // Copy: the stream may reuse the chunk's memory.
        const kept = Buffer.from(rest.length > room ? rest.subarray(0, room) : rest);
        pending.push(kept);
        pendingBytes += kept.length;
      }
    }
    if (batch.lines.length > 0) yield batch;
  }
  if (pendingBytes > 0 || overflow) {
    const batch: LineBatch = { lines: [], truncated: [] };
    finish(batch, Buffer.alloc(0));
    yield batch;
  }
}
