/**
 * Log level names as OpenTelemetry severities (SeverityNumber values are stable across API
 * versions, so no Logs API import is needed): the catalog's severities, Heroku's router `at=`
 * and Fly's `log.level` all read this one table.
 */
const BY_LEVEL = new Map<string, readonly [number, string]>([
  ['trace', [1, 'TRACE']],
  ['debug', [5, 'DEBUG']],
  ['info', [9, 'INFO']],
  ['notice', [10, 'INFO2']],
  ['warn', [13, 'WARN']],
  ['warning', [13, 'WARN']],
  ['error', [17, 'ERROR']],
  ['critical', [21, 'FATAL']],
  ['fatal', [21, 'FATAL']],
]);

/** The severity number and text of a lower-case level name, or undefined for any other name. */
export function severityOfLevel(level: string): readonly [number, string] | undefined {
  return BY_LEVEL.get(level);
}
