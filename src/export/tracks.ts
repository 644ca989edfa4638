// Fixes gathered per device for the outputs that need a whole track (GeoJSON lines, the map). A fix
// costs four numbers in typed arrays. With a point budget (the map), a device's track is thinned by
// stride doubling — once it holds twice its share, every other point is dropped and only every
// 2^k-th fix is taken from then on — so what is kept stays bounded whatever the capture's size. The
// share is the budget's total split over the devices seen so far, so a fleet of thousands draws a
// map of the same size as a handful of devices. The extents are computed over every fix, thinned or not.
import type { ExportMessage } from './messages.js';

export interface TrackPoint {
  readonly lat: number;
  readonly lon: number;
  readonly valid: boolean;
  /** Unix seconds, NaN when the message has no time. */
  readonly time: number;
}

export interface Extent {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

function emptyExtent(): Extent {
  return { minLat: Infinity, maxLat: -Infinity, minLon: Infinity, maxLon: -Infinity };
}

function extend(e: Extent, lat: number, lon: number): void {
  e.minLat = Math.min(e.minLat, lat);
  e.maxLat = Math.max(e.maxLat, lat);
  e.minLon = Math.min(e.minLon, lon);
  e.maxLon = Math.max(e.maxLon, lon);
}

export function isEmpty(e: Extent): boolean {
  return e.minLat > e.maxLat;
}

class Points {
  private data = new Float64Array(4 * 64);
  length = 0;

  push(p: TrackPoint): void {
    if (4 * (this.length + 1) > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set([p.lat, p.lon, p.valid ? 1 : 0, p.time], 4 * this.length++);
  }

  get(i: number): TrackPoint {
    const d = this.data;
    return { lat: d[4 * i]!, lon: d[4 * i + 1]!, valid: d[4 * i + 2] === 1, time: d[4 * i + 3]! };
  }

  /** Keeps points 0, 2, 4, ... */
  halve(): void {
    const d = this.data;
    let n = 0;
    for (let i = 0; i < this.length; i += 2, n++) d.copyWithin(4 * n, 4 * i, 4 * i + 4);
    this.length = n;
  }
}

/** Points kept in all, split evenly over the devices, within [floor, perDevice] for each. */
export interface PointBudget {
  readonly total: number;
  readonly perDevice: number;
  readonly floor: number;
}

export class Track {
  private readonly points = new Points();
  private stride = 1;
  private last: TrackPoint | undefined;
  validFixes = 0;
  invalidFixes = 0;

  constructor(readonly device: string) {}

  /** Fixes seen, kept or not. */
  private get fixes(): number {
    return this.validFixes + this.invalidFixes;
  }

  /** Adds a fix; kept when it falls on the stride, then the kept points are thinned to `limit`. */
  add(p: TrackPoint, limit: number): void {
    const index = this.fixes;
    if (p.valid) this.validFixes++;
    else this.invalidFixes++;
    this.last = p;
    if (index % this.stride !== 0) return;
    this.points.push(p);
    this.fit(limit);
  }

  /** Thins the kept points to under twice `limit`, the device's share (which falls as devices appear). */
  fit(limit: number): void {
    while (this.points.length >= 2 * limit) {
      this.points.halve();
      this.stride *= 2;
    }
  }

  /** How many points are kept. */
  get kept(): number {
    return this.points.length;
  }

  /** Whether points were dropped to stay within the limit. */
  get thinned(): boolean {
    return this.stride > 1;
  }

  /**
   * The kept points (the last fix always among them), in time order when every fix has a time, else
   * in input order.
   */
  list(): TrackPoint[] {
    const out: TrackPoint[] = [];
    for (let i = 0; i < this.points.length; i++) out.push(this.points.get(i));
    if (this.last && (this.fixes - 1) % this.stride !== 0) out.push(this.last);
    if (out.every((p) => Number.isFinite(p.time))) out.sort((a, b) => a.time - b.time);
    return out;
  }
}

/** Tracks by device, in the order devices first appear, and the extents of all their fixes. */
export class Tracks {
  readonly byDevice = new Map<string, Track>();
  readonly validExtent = emptyExtent();
  readonly extent = emptyExtent();

  constructor(private readonly budget?: PointBudget) {}

  /** One device's share of the budget now. */
  private share(): number {
    const b = this.budget;
    if (!b) return Infinity;
    return Math.max(b.floor, Math.min(b.perDevice, Math.floor(b.total / Math.max(1, this.byDevice.size))));
  }

  /** Thins every track to its final share: devices that stopped reporting kept an earlier, larger one. */
  fitAll(): void {
    const share = this.share();
    for (const t of this.byDevice.values()) t.fit(share);
  }

  add(m: ExportMessage): void {
    if (!m.fix) return;
    const { lat, lon, valid } = m.fix;
    if (valid) extend(this.validExtent, lat, lon);
    extend(this.extent, lat, lon);
    let t = this.byDevice.get(m.device);
    if (!t) this.byDevice.set(m.device, (t = new Track(m.device)));
    t.add({ lat, lon, valid, time: m.time ?? NaN }, this.share());
  }
}
