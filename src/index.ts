export { Catalog } from './core/catalog/Catalog.ts';
export { type LoadCatalogOptions, loadCatalog } from './core/catalog/loadCatalog.ts';
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
} from './core/catalog/types.ts';
export { CatalogValidationError } from './core/catalog/validate.ts';
export type {
  AttributeMap,
  FieldTrigger,
  OttlShape,
  Recogniser,
  Recognition,
  RecordView,
  Triggers,
} from './core/recognisers/types.ts';
export { PlatformErrorProcessor } from './processor/PlatformErrorProcessor.ts';
export type { AttributeKeys, PlatformErrorProcessorOptions } from './types.ts';
