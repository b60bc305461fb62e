import type { AttributeKeys } from '../types.ts';

/**
 * The attribute keys written by default. The catalog exports (CSV, OTTL) write the same ones, so
 * a Loki query works whichever way a record was enriched.
 */
export const DEFAULT_ATTRIBUTE_KEYS = {
  code: 'error.type',
  platform: 'platform',
  category: 'category',
  platformFault: 'platform_fault',
  remedyUrl: 'remedy_url',
  cause: 'platform_error.cause',
  listed: 'platform_error.listed',
} as const satisfies Required<AttributeKeys>;
