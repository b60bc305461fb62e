/**
 * The RFC 5424 messages Heroku writes: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID MSG`,
 * with no STRUCTURED-DATA at all (Logplex), or `- -` after the procid (log-shuttle, Private
 * Spaces). The layout of Heroku's older docs (token in PROCID) parses the same way.
 */
export interface HerokuSyslog {
  facility: number;
  /** The PRI's severity; Heroku sets it oddly (`<40>` for state changes), so it is kept, not trusted. */
  severity: number;
  version: string;
  timestamp: string;
  hostname: string;
  appname: string;
  procid: string;
  msgid: string;
  message: string;
}

const HEADER = /^<([0-9]{1,3})>([0-9]{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+)(?: |$)/;

/** Undefined when the frame is not a syslog message at all. */
export function parseHerokuSyslog(frame: string): HerokuSyslog | undefined {
  const m = HEADER.exec(frame);
  if (!m) return undefined;
  const pri = Number(m[1]);
  if (pri > 191) return undefined;
  let message = frame.slice(m[0].length);
  // log-shuttle writes the STRUCTURED-DATA placeholder Logplex leaves out.
  if (message === '-') message = '';
  else if (message.startsWith('- ')) message = message.slice(2);
  return {
    facility: pri >> 3,
    severity: pri & 7,
    version: m[2] as string,
    timestamp: m[3] as string,
    hostname: m[4] as string,
    appname: m[5] as string,
    procid: m[6] as string,
    msgid: m[7] as string,
    message,
  };
}
