// The export formats, in a module of their own so that the command line's option table can list
// them without loading the pipeline.
export const EXPORT_FORMATS = ['wln', 'wialon-json', 'flespi', 'csv', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
