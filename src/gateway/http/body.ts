import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { HttpError } from './HttpError.ts';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

/** Size limits of a request body. */
export interface BodyLimits {
  /** Bytes on the wire. */
  maxBytes: number;
  /** Bytes after Content-Encoding is undone: the cap on a compression bomb. */
  maxDecompressedBytes: number;
}

/** The Content-Encoding of a request, normalised; a 415 for one the gateway cannot undo. */
export function contentEncoding(req: IncomingMessage): 'identity' | 'gzip' | 'deflate' {
  const value = String(req.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  throw new HttpError(415, `Content-Encoding "${value}" is not supported (gzip, deflate or none)`);
}

/**
 * The body as it arrives on the wire, capped at `maxBytes`: 413 before reading when
 * Content-Length says it is larger, and as soon as more arrives than that.
 */
export async function* wireChunks(req: IncomingMessage, maxBytes: number): AsyncGenerator<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, `the body is ${declared} bytes; the limit is ${maxBytes}`);
  }
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new HttpError(413, `the body exceeds the limit of ${maxBytes} bytes`);
    yield chunk;
  }
}

/**
 * The whole body of a request, decompressed, within the limits: 413 when it is larger on the wire
 * or once decompressed, 415 for an unknown Content-Encoding, 400 when it does not decompress.
 */
export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const encoding = contentEncoding(req);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of wireChunks(req, limits.maxBytes)) {
    size += chunk.length;
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks, size);
  if (encoding === 'identity') return raw;
  try {
    const options = { maxOutputLength: limits.maxDecompressedBytes };
    return encoding === 'gzip' ? await gunzipAsync(raw, options) : await inflateAsync(raw, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpError(413, `the body exceeds ${limits.maxDecompressedBytes} bytes once decompressed`);
    }
    throw new HttpError(400, `the ${encoding} body does not decompress: ${(error as Error).message}`);
  }
}
