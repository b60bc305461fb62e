/** The part of npm `logfmt` (which ships no types) the peer benchmark uses. */
declare module 'logfmt' {
  const logfmt: { parse(line: string): Record<string, string | number | boolean> };
  export default logfmt;
}
