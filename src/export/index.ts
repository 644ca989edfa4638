// Exports of decoded captures (Wialon WLN and message JSON, flespi-style JSON, CSV, GeoJSON), the
// track map and reporting statistics, all built from the messages of the decode timeline. The
// command line loads run.ts (and formats.ts) directly; this lists what is used from outside.
export { messagesOf, type ExportMessage } from './messages.js';
export { toWln } from './wialon.js';
export { Tracks } from './tracks.js';
export { mapSvgElement } from './map.js';
export { StatsCollector, haversineKm } from './stats.js';
export { MAP_POINTS } from './run.js';
