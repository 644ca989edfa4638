// GeoJSON (RFC 7946): a FeatureCollection with a Point feature per fix, written as the fixes come,
// then one LineString per device through its valid fixes (in time order), written at the end. A
// LineString needs two positions, so a device with fewer valid fixes has points but no line.
import { isoTime, num, type ExportMessage } from './messages.js';
import { Tracks } from './tracks.js';

const min = (a: number, b: number) => Math.min(a, b);
const max = (a: number, b: number) => Math.max(a, b);

const HEAD = '{"type":"FeatureCollection","features":[\n';

export class GeoJsonWriter {
  private readonly tracks = new Tracks();
  private features = 0;

  start(): string {
    return HEAD;
  }

  private feature(f: object): string {
    return `${this.features++ === 0 ? '' : ',\n'}${JSON.stringify(f)}`;
  }

  /** The message's Point feature, or undefined when it has no position. */
  point(m: ExportMessage): string | undefined {
    if (!m.fix) return undefined;
    this.tracks.add(m);
    const optional = (key: string, value: number | undefined) =>
      value === undefined ? {} : { [key]: value };
    return this.feature({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [m.fix.lon, m.fix.lat] },
      properties: {
        device: m.device,
        protocol: m.protocol,
        'message.type': m.params['message.type'] ?? null,
        time: isoTime(m.time) || null,
        ...optional('timestamp', m.time),
        valid: m.fix.valid,
        ...optional('speed', num(m.params, 'position.speed')),
        ...optional('course', num(m.params, 'position.direction')),
        ...optional('altitude', num(m.params, 'position.altitude')),
        ...optional('satellites', num(m.params, 'position.satellites')),
      },
    });
  }

  /** The LineStrings and the collection's end, a device at a time: the text of all lines at once
   * would be several times the size of the coordinates kept. */
  *end(): Generator<string> {
    for (const track of this.tracks.byDevice.values()) {
      const valid = track.list().filter((p) => p.valid);
      if (valid.length < 2) continue;
      const times = valid.map((p) => p.time).filter(Number.isFinite);
      yield this.feature({
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: valid.map((p) => [p.lon, p.lat]) },
        properties: {
          device: track.device,
          fixes: valid.length,
          ...(times.length > 0 ? { start: isoTime(times.reduce(min)), end: isoTime(times.reduce(max)) } : {}),
        },
      });
    }
    yield '\n]}\n';
  }
}
