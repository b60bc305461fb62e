// Generated from catalog/schema.json by `npm run generate`; edit the schema, not this file.

/** The cross-platform category vocabulary (see docs/codes.md#categories). */
export type Category =
  | 'timeout'
  | 'connection'
  | 'tls'
  | 'capacity'
  | 'memory'
  | 'crash'
  | 'protocol'
  | 'auth'
  | 'configuration'
  | 'routing'
  | 'dns'
  | 'health_check'
  | 'logging'
  | 'lifecycle'
  | 'maintenance'
  | 'internal';
