/** Levels of the gateway's own log lines. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * The gateway's own structured logs: one JSON object per line on stderr (stdout is for records
 * when there is no downstream), with a time, a level, a message and fields.
 */
export class GatewayLog {
  constructor(
    private readonly _out: NodeJS.WritableStream = process.stderr,
    private readonly _min: LogLevel = 'info',
  ) {}

  debug(msg: string, fields?: Record<string, unknown>): void {
    this._write('debug', msg, fields);
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this._write('info', msg, fields);
  }

  warn(msg: string, fields?: Record<string, unknown>): void {
    this._write('warn', msg, fields);
  }

  error(msg: string, fields?: Record<string, unknown>): void {
    this._write('error', msg, fields);
  }

  private _write(level: LogLevel, msg: string, fields: Record<string, unknown> | undefined): void {
    if (ORDER[level] < ORDER[this._min]) return;
    try {
      this._out.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
    } catch {
      // A closed stderr must not take the gateway down.
    }
  }
}

/** A log that writes nothing (tests, embedding). */
export const SILENT: GatewayLog = new GatewayLog({ write: () => true } as unknown as NodeJS.WritableStream, 'error');
