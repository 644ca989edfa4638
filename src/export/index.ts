// Exports of decoded captures (Wialon WLN and message JSON, flespi-style JSON, CSV, GeoJSON), the
// track map and reporting statistics, all built from the messages of the decode timeline.
export { messagesOf, isUplink, type ExportMessage, type Fix } from './messages.js';
export { toWln, toWialonJson, wialonParams, wialonName, type WialonParam } from './wialon.js';
export { toFlespi, toCsvRow, CSV_HEADER } from './flat.js';
export { GeoJsonWriter } from './geojson.js';
export { Tracks, Track } from './tracks.js';
export { mapSvgElement, mapSvg, mapHtml, project, PALETTE } from './map.js';
export { StatsCollector, statsText, haversineKm, HISTOGRAM, GAP_FACTOR } from './stats.js';
export {
  runExport,
  runMap,
  runStats,
  EXPORT_FORMATS,
  MAP_POINTS,
  type ExportFormat,
  type ExportRunOptions,
  type MapRunOptions,
  type StatsRunOptions,
} from './run.js';
