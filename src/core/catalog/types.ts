import type { Category } from './vocabulary.generated.ts';

export type { Category };

/** Level a platform logs an error at (Heroku's `at=` field), or our reading of it. */
export type Severity = 'error' | 'warning' | 'info';

/** Whether a code is on the platform's current page, was retired, only ever appeared in a draft, or appears only in real logs. */
export type Lifecycle = 'current' | 'retired' | 'draft-only' | 'undocumented';

/** How a platform's pages turn a section heading into a link. */
export type AnchorRule = 'heading' | 'page' | 'service';

/** A platform's own grouping of its codes (Heroku H/R/L, Fly's second letter, …). */
export interface Family {
  id: string;
  name: string;
  description?: string;
  fallback_category: Category;
  /** Anchored pattern every well-formed code of the family matches, listed or not. */
  code_pattern: string;
  anchor_rule?: AnchorRule;
  /** Where the fallback entry of an unlisted code links; default: the file's error_page. */
  remedy_url?: string;
}

/** One error code as written in a catalog file (see catalog/schema.json). */
export interface CatalogEntryData {
  code: string;
  family: string;
  title: string;
  heading?: string;
  category: Category;
  summary: string;
  remedy: string;
  platform_fault: boolean;
  fault_reason: string;
  severity: Severity;
  http_status?: number[];
  lifecycle: Lifecycle;
  remedy_url: string;
  source_url: string;
  messages?: string[];
  api_error_codes?: number[];
  draft?: { meaning: string; now?: string };
  notes?: string;
}

/** A resolved entry: the data plus where it belongs and whether the catalog lists it. */
export interface CatalogEntry extends CatalogEntryData {
  platform: string;
  /** False for the fallback entry of a well-formed code the catalog does not list. */
  listed: boolean;
}

/** One platform's catalog file (catalog/<platform>.yaml, or a user catalog). */
export interface CatalogFile {
  platform: string;
  name: string;
  error_page: string;
  anchor_rule: AnchorRule;
  /** How the page writes a section heading, e.g. `{code} - {title}`; default `{title}`. */
  heading_format?: string;
  families: Family[];
  notes?: string;
  entries: CatalogEntryData[];
}

/**
 * A user catalog: a file path, or an object of the catalog file's shape. Entries whose code the
 * built-in catalog already has may give only the fields they change.
 */
export type CatalogSource =
  | string
  | (Partial<Omit<CatalogFile, 'entries'>> & {
      platform: string;
      entries?: Array<Partial<CatalogEntryData> & { code: string }>;
    });
