export { Catalog } from './catalog/Catalog.ts';
export { type LoadCatalogOptions, loadCatalog } from './catalog/loadCatalog.ts';
export type {
  AnchorRule,
  CatalogEntry,
  CatalogEntryData,
  CatalogFile,
  CatalogSource,
  Category,
  Family,
  Lifecycle,
  Severity,
} from './catalog/types.ts';
export { CatalogValidationError } from './catalog/validate.ts';
export { PlatformErrorProcessor } from './processor/PlatformErrorProcessor.ts';
export type { Recognition } from './recognisers/types.ts';
export type { AttributeKeys, PlatformErrorProcessorOptions } from './types.ts';
