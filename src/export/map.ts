// The track map: plain SVG, no tiles and no network. Equirectangular projection (longitude scaled by
// the cosine of the middle latitude, so shapes look right away from the poles) fitted to the valid
// fixes, a labelled lat/lon grid, one colour per device from a fixed palette, a line through each
// device's valid fixes, valid fixes as filled dots and invalid ones as hollow crossed circles, and a
// legend. The HTML variant embeds the same SVG and a script that measures what the browser drew.
import { isoTime } from './messages.js';
import { isEmpty, type Extent, type Track, type Tracks } from './tracks.js';

/** Tableau 10: distinct on screen and in print. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

const WIDTH = 1000;
const HEIGHT = 700;
const PLOT = { left: 80, top: 44, right: WIDTH - 240, bottom: HEIGHT - 44 };
const LEGEND_ROWS = 20;
const LEGEND_ROW_HEIGHT = 28;
/** Smallest span shown, in degrees (about 100 m): one fix or a parked device still gets a map. */
const MIN_SPAN = 0.001;

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

const px = (n: number) => (Math.round(n * 100) / 100).toString();

/** Degrees to plot pixels and back. */
interface Projection {
  readonly lonCenter: number;
  readonly latCenter: number;
  /** Pixels per degree of longitude and of latitude. */
  readonly scaleX: number;
  readonly scaleY: number;
  readonly cx: number;
  readonly cy: number;
}

function project(p: Projection, lat: number, lon: number): [number, number] {
  return [p.cx + (lon - p.lonCenter) * p.scaleX, p.cy - (lat - p.latCenter) * p.scaleY];
}

function projection(e: Extent): Projection {
  const latCenter = (e.minLat + e.maxLat) / 2;
  const lonCenter = (e.minLon + e.maxLon) / 2;
  const k = Math.max(Math.cos((latCenter * Math.PI) / 180), 0.05);
  // 8% padding around the fixes.
  const lonSpan = Math.max(e.maxLon - e.minLon, MIN_SPAN) * 1.16;
  const latSpan = Math.max(e.maxLat - e.minLat, MIN_SPAN) * 1.16;
  const w = PLOT.right - PLOT.left;
  const h = PLOT.bottom - PLOT.top;
  const s = Math.min(w / (lonSpan * k), h / latSpan);
  return {
    lonCenter,
    latCenter,
    scaleX: s * k,
    scaleY: s,
    cx: (PLOT.left + PLOT.right) / 2,
    cy: (PLOT.top + PLOT.bottom) / 2,
  };
}

/** A round grid step (1, 2 or 5 times a power of ten) giving about six lines over `span`. */
function gridStep(span: number): number {
  const raw = span / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

function degreeLabel(v: number, step: number, pos: string, neg: string): string {
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return `${Math.abs(v).toFixed(digits)}°${v < 0 ? neg : v > 0 ? pos : ''}`;
}

function grid(p: Projection): string {
  const lonMin = p.lonCenter - (p.cx - PLOT.left) / p.scaleX;
  const lonMax = p.lonCenter + (PLOT.right - p.cx) / p.scaleX;
  const latMax = p.latCenter + (p.cy - PLOT.top) / p.scaleY;
  const latMin = p.latCenter - (PLOT.bottom - p.cy) / p.scaleY;
  const parts: string[] = [];
  const step = gridStep(Math.max(lonMax - lonMin, latMax - latMin));
  for (let v = Math.ceil(Math.max(lonMin, -180) / step) * step; v <= Math.min(lonMax, 180); v += step) {
    const [x] = project(p, 0, v);
    parts.push(
      `<line class="meridian" x1="${px(x)}" y1="${PLOT.top}" x2="${px(x)}" y2="${PLOT.bottom}"/>`,
      `<text class="label" x="${px(x)}" y="${PLOT.bottom + 16}" text-anchor="middle">${degreeLabel(v, step, 'E', 'W')}</text>`,
    );
  }
  for (let v = Math.ceil(Math.max(latMin, -90) / step) * step; v <= Math.min(latMax, 90); v += step) {
    const [, y] = project(p, v, 0);
    parts.push(
      `<line class="parallel" x1="${PLOT.left}" y1="${px(y)}" x2="${PLOT.right}" y2="${px(y)}"/>`,
      `<text class="label" x="${PLOT.left - 6}" y="${px(y + 4)}" text-anchor="end">${degreeLabel(v, step, 'N', 'S')}</text>`,
    );
  }
  return `<g class="grid">${parts.join('')}</g>`;
}

function deviceLayer(track: Track, color: string, p: Projection): string {
  const points = track.list();
  const valid = points.filter((q) => q.valid);
  const parts: string[] = [];
  if (valid.length >= 2) {
    const coords = valid.map((q) => project(p, q.lat, q.lon).map(px).join(',')).join(' ');
    parts.push(`<polyline class="track" points="${coords}" stroke="${color}"/>`);
  }
  for (const q of points) {
    const [x, y] = project(p, q.lat, q.lon);
    const tip = `<title>${esc(track.device)} ${isoTime(Number.isFinite(q.time) ? q.time : undefined)} ${q.lat},${q.lon}${q.valid ? '' : ' (invalid)'}</title>`;
    if (q.valid)
      parts.push(
        `<circle class="fix valid" cx="${px(x)}" cy="${px(y)}" r="3" fill="${color}">${tip}</circle>`,
      );
    else
      parts.push(
        `<g class="fix invalid" stroke="${color}"><circle cx="${px(x)}" cy="${px(y)}" r="4" fill="#fff"/>` +
          `<path d="M${px(x - 3)} ${px(y - 3)}L${px(x + 3)} ${px(y + 3)}M${px(x - 3)} ${px(y + 3)}L${px(x + 3)} ${px(y - 3)}"/>${tip}</g>`,
      );
  }
  return `<g class="device" data-device="${esc(track.device)}">${parts.join('')}</g>`;
}

function legend(tracks: readonly Track[]): string {
  const x = PLOT.right + 20;
  const rows: string[] = [
    `<circle cx="${x + 6}" cy="${PLOT.top + 6}" r="3" fill="#333"/><text x="${x + 18}" y="${PLOT.top + 10}">valid fix</text>`,
    `<g stroke="#333"><circle cx="${x + 6}" cy="${PLOT.top + 24}" r="4" fill="#fff"/><path d="M${x + 3} ${PLOT.top + 21}L${x + 9} ${PLOT.top + 27}M${x + 3} ${PLOT.top + 27}L${x + 9} ${PLOT.top + 21}"/></g><text x="${x + 18}" y="${PLOT.top + 28}">invalid fix</text>`,
  ];
  tracks.slice(0, LEGEND_ROWS).forEach((t, i) => {
    const y = PLOT.top + 56 + i * LEGEND_ROW_HEIGHT;
    const thinned = t.thinned ? ', thinned' : '';
    rows.push(
      `<g class="entry" data-device="${esc(t.device)}"><rect x="${x}" y="${y - 9}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>` +
        `<text x="${x + 18}" y="${y + 1}">${esc(t.device)}</text>` +
        `<text class="count" x="${x + 18}" y="${y + 14}">${t.validFixes} valid, ${t.invalidFixes} invalid${thinned}</text></g>`,
    );
  });
  if (tracks.length > LEGEND_ROWS)
    rows.push(
      `<text x="${x}" y="${PLOT.top + 56 + LEGEND_ROWS * LEGEND_ROW_HEIGHT}">and ${tracks.length - LEGEND_ROWS} more devices</text>`,
    );
  return `<g class="legend">${rows.join('')}</g>`;
}

/** The extent the map is fitted to: the valid fixes, or every fix when none is valid. */
function mapExtent(tracks: Tracks): Extent | undefined {
  const { validExtent: valid, extent: any } = tracks;
  return !isEmpty(valid) ? valid : !isEmpty(any) ? any : undefined;
}

const STYLE =
  'text{font:12px sans-serif;fill:#222}.label{font-size:11px;fill:#555}' +
  '.grid line{stroke:#d0d0d0;stroke-width:1}.track{fill:none;stroke-width:2;stroke-linejoin:round}' +
  '.fix.invalid{stroke-width:1.5}.legend .count{font-size:10px;fill:#666}';

/**
 * The map as an SVG element (no XML declaration); undefined when there is no fix to draw. Thins every
 * track to its final share of the point budget first.
 */
export function mapSvgElement(tracks: Tracks, title: string): string | undefined {
  tracks.fitAll();
  const list = [...tracks.byDevice.values()];
  const extent = mapExtent(tracks);
  if (!extent) return undefined;
  const p = projection(extent);
  const data = `data-lon-center="${p.lonCenter}" data-lat-center="${p.latCenter}" data-scale-x="${p.scaleX}" data-scale-y="${p.scaleY}" data-cx="${p.cx}" data-cy="${p.cy}"`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ${data}>` +
    `<title>${esc(title)}</title><style>${STYLE}</style>` +
    `<defs><clipPath id="plot"><rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}"/></clipPath></defs>` +
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>` +
    `<rect class="plot" x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="#f7f9fb" stroke="#999"/>` +
    grid(p) +
    `<text x="${PLOT.left}" y="${PLOT.top - 16}">${esc(title)}</text>` +
    `<g class="tracks" clip-path="url(#plot)">${list.map((t, i) => deviceLayer(t, PALETTE[i % PALETTE.length]!, p)).join('')}</g>` +
    legend(list) +
    `</svg>`
  );
}

export function mapSvg(svg: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}

/**
 * Runs in the page: measures each drawn track's bounding box as the browser laid it out, maps it back
 * to degrees, and writes the count and extent into the page (`#drawn`), where a reader (or a headless
 * browser's DOM dump) sees them.
 */
const MEASURE = `
const svg = document.querySelector('svg');
const d = svg.dataset;
const inv = (x, y) => [+d.lonCenter + (x - d.cx) / d.scaleX, +d.latCenter - (y - d.cy) / d.scaleY];
const tracks = [...svg.querySelectorAll('polyline.track')];
const e = [Infinity, Infinity, -Infinity, -Infinity];
for (const t of tracks) {
  const b = t.getBBox();
  const [w, n] = inv(b.x, b.y);
  const [east, s] = inv(b.x + b.width, b.y + b.height);
  e[0] = Math.min(e[0], w); e[1] = Math.min(e[1], s); e[2] = Math.max(e[2], east); e[3] = Math.max(e[3], n);
}
const out = document.getElementById('drawn');
out.dataset.tracks = String(tracks.length);
out.dataset.validFixes = String(svg.querySelectorAll('.fix.valid').length);
out.dataset.invalidFixes = String(svg.querySelectorAll('.fix.invalid').length);
if (tracks.length > 0) out.dataset.extent = e.map((v) => v.toFixed(6)).join(',');
out.textContent = tracks.length + ' tracks drawn' + (tracks.length > 0 ? ', lon ' + e[0].toFixed(5) + ' to ' + e[2].toFixed(5) + ', lat ' + e[1].toFixed(5) + ' to ' + e[3].toFixed(5) : '');
`;

export function mapHtml(svg: string, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>body{font:14px sans-serif;margin:16px;color:#222}output{display:block;margin-top:8px;color:#555}</style>
</head>
<body>
${svg}
<output id="drawn"></output>
<script>${MEASURE}</script>
</body>
</html>
`;
}
