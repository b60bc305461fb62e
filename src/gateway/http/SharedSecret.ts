import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * The gateway's one shared secret, as the platforms can send it: the password of HTTP basic
 * auth (a drain URL's `https://user:TOKEN@host/…`, any user name), a bearer token (Logpush's
 * `header_Authorization`, OTLP clients), or a header of its own (`cf-webhook-auth`). Compared in
 * constant time: both sides are hashed first, so neither length nor content leaks through timing.
 */
export class SharedSecret {
  private readonly _digest: Buffer | undefined;

  constructor(token: string | undefined) {
    this._digest = token === undefined || token === '' ? undefined : digest(token);
  }

  /** Whether a token is configured at all; without one every request is let in. */
  get configured(): boolean {
    return this._digest !== undefined;
  }

  /**
   * Whether the request carries the secret (or no secret is set): as basic-auth password or
   * bearer token, or — with `ownHeader` — as the whole value of that header (`cf-webhook-auth`).
   */
  authorizes(req: IncomingMessage, ownHeader?: string): boolean {
    if (this._digest === undefined) return true;
    if (ownHeader !== undefined) {
      const presented = req.headers[ownHeader];
      return this.matches(typeof presented === 'string' ? presented : undefined);
    }
    const header = req.headers.authorization ?? '';
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const credentials = header.slice(space + 1).trim();
    if (scheme === 'bearer') return this.matches(credentials);
    if (scheme === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon !== -1 && this.matches(decoded.slice(colon + 1));
    }
    return false;
  }

  /** Whether a presented value is the secret (or no secret is set). */
  matches(presented: string | undefined): boolean {
    if (this._digest === undefined) return true;
    return presented !== undefined && timingSafeEqual(digest(presented), this._digest);
  }
}
