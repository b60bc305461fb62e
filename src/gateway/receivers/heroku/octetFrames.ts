/**
 * RFC 6587 octet counting as Logplex (and log-shuttle) send it: `<length> <message>` repeated,
 * where the length counts bytes (UTF-8), the message may or may not end in a newline, and
 * nothing separates frames. A frame that cannot be read costs only itself: the parser finds the
 * next plausible frame and goes on.
 */

export type FrameProblem = 'bad_length' | 'past_end' | 'too_long';

export interface Framed {
  /** The messages, decoded as UTF-8 (invalid bytes become U+FFFD), one trailing newline (LF or CRLF) removed. */
  frames: string[];
  /** What could not be read, in order. */
  problems: FrameProblem[];
}

const decoder = new TextDecoder('utf-8', { fatal: false });
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const SPACE = 32;
/** Where a frame starts when the one before it was miscounted or garbled: `123 <158>1 `. */
const FRAME_START = /(?:^|[^0-9])([1-9][0-9]{0,6}) <[0-9]{1,3}>/g;

function isSeparator(byte: number): boolean {
  return byte === 10 || byte === 13 || byte === SPACE || byte === 9;
}

/** The offset of the next plausible frame header at or after `from`, or the end. */
function resync(latin1: string, from: number): number {
  FRAME_START.lastIndex = Math.max(0, from - 1);
  const m = FRAME_START.exec(latin1);
  if (!m) return latin1.length;
  return m.index + m[0].length - m[0].replace(/^[^0-9]/, '').length;
}

export function splitOctetFrames(body: Buffer, maxFrameBytes: number): Framed {
  const frames: string[] = [];
  const problems: FrameProblem[] = [];
  const length = body.length;
  // A byte-for-byte string view, so regular expressions find offsets in bytes (only on trouble).
  let latin1: string | undefined;
  const view = () => {
    latin1 ??= body.toString('latin1');
    return latin1;
  };
  let pos = 0;
  while (pos < length) {
    while (pos < length && isSeparator(body[pos] as number)) pos++;
    if (pos >= length) break;
    const start = pos;
    let declared = 0;
    while (pos < length && pos - start < 9 && (body[pos] as number) >= DIGIT_0 && (body[pos] as number) <= DIGIT_9) {
      declared = declared * 10 + ((body[pos] as number) - DIGIT_0);
      pos++;
    }
    const digits = pos - start;
    if (digits === 0 || body[pos] !== SPACE || declared === 0 || (digits > 1 && body[start] === DIGIT_0)) {
      problems.push('bad_length');
      pos = resync(view(), start + 1);
      continue;
    }
    pos++;
    if (declared > maxFrameBytes) {
      problems.push('too_long');
      pos = pos + declared <= length ? pos + declared : resync(view(), pos);
      continue;
    }
    if (pos + declared > length) {
      problems.push('past_end');
      pos = resync(view(), pos);
      continue;
    }
    let end = pos + declared;
    const next = end;
    if (body[end - 1] === 10) end--;
    if (end > pos && body[end - 1] === 13) end--;
    frames.push(decoder.decode(body.subarray(pos, end)));
    pos = next;
  }
  return { frames, problems };
}
