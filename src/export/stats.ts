// `trackshark stats`: per device and per protocol, how much was seen and how well the devices report.
// Per device (uplink messages only: commands are the server's), in input order:
//  - distance: haversine between consecutive valid fixes (mean Earth radius 6371.0088 km);
//  - intervals: between consecutive message times, counted in HISTOGRAM buckets; a repeated time is
//    `0s`, a time earlier than the one before is `backwards`;
//  - gaps: intervals longer than GAP_FACTOR times the device's median positive interval (with at
//    least three positive intervals to take a median of), listed with where they start.
// Memory: a few counters per device and protocol plus the intervals (16 bytes per message) for the median.
import type { TimelineRecord } from '../pipeline/index.js';
import { isUplink, isoTime, type ExportMessage } from './messages.js';

const GAP_FACTOR = 3;
const EARTH_RADIUS_KM = 6371.0088;

/** Upper bounds (seconds, inclusive) of the interval buckets after `0s`; the last is open. */
const HISTOGRAM: readonly (readonly [string, number])[] = [
  ['<=10s', 10],
  ['<=30s', 30],
  ['<=1m', 60],
  ['<=5m', 300],
  ['<=15m', 900],
  ['<=1h', 3600],
  ['>1h', Infinity],
];

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

interface TimeSpan {
  first: number | undefined;
  last: number | undefined;
}

function widen(s: TimeSpan, t: number | undefined): void {
  if (t === undefined) return;
  s.first = s.first === undefined ? t : Math.min(s.first, t);
  s.last = s.last === undefined ? t : Math.max(s.last, t);
}

class DeviceStats implements TimeSpan {
  readonly protocols = new Set<string>();
  messages = 0;
  commands = 0;
  valid = 0;
  invalid = 0;
  first: number | undefined;
  last: number | undefined;
  distanceKm = 0;
  private lastFix: { lat: number; lon: number } | undefined;
  private lastTime: number | undefined;
  /** Pairs: interval start time, interval length. */
  private intervals = new Float64Array(64);
  private count = 0;
  readonly histogram = new Map<string, number>();

  constructor(readonly device: string) {}

  add(m: ExportMessage): void {
    this.protocols.add(m.protocol);
    if (!isUplink(m)) {
      this.commands++;
      return;
    }
    this.messages++;
    widen(this, m.time);
    if (m.fix?.valid) {
      this.valid++;
      if (this.lastFix)
        this.distanceKm += haversineKm(this.lastFix.lat, this.lastFix.lon, m.fix.lat, m.fix.lon);
      this.lastFix = m.fix;
    } else if (m.fix) this.invalid++;
    if (m.time === undefined) return;
    // Capture times carry float noise (0.003999948s): intervals count in milliseconds.
    if (this.lastTime !== undefined)
      this.interval(this.lastTime, Math.round((m.time - this.lastTime) * 1000) / 1000);
    this.lastTime = m.time;
  }

  private interval(start: number, seconds: number): void {
    const bucket =
      seconds < 0 ? 'backwards' : seconds === 0 ? '0s' : HISTOGRAM.find(([, max]) => seconds <= max)![0];
    this.histogram.set(bucket, (this.histogram.get(bucket) ?? 0) + 1);
    if (seconds <= 0) return;
    if (2 * this.count + 2 > this.intervals.length) {
      const grown = new Float64Array(this.intervals.length * 2);
      grown.set(this.intervals);
      this.intervals = grown;
    }
    this.intervals[2 * this.count] = start;
    this.intervals[2 * this.count + 1] = seconds;
    this.count++;
  }

  /** Median positive interval and the gaps longer than GAP_FACTOR times it. */
  reporting(): { median: number | undefined; gaps: { from: number; seconds: number }[] } {
    if (this.count < 3) return { median: undefined, gaps: [] };
    const lengths = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) lengths[i] = this.intervals[2 * i + 1]!;
    lengths.sort();
    const mid = this.count >> 1;
    const median = this.count % 2 ? lengths[mid]! : (lengths[mid - 1]! + lengths[mid]!) / 2;
    const gaps: { from: number; seconds: number }[] = [];
    for (let i = 0; i < this.count; i++) {
      const seconds = this.intervals[2 * i + 1]!;
      if (seconds > GAP_FACTOR * median) gaps.push({ from: this.intervals[2 * i]!, seconds });
    }
    return { median, gaps };
  }
}

interface ProtocolStats extends TimeSpan {
  protocol: string;
  /** Every decoded frame, carried ones included, messages or not (AT lines). */
  frames: number;
  malformed: number;
  messages: number;
  valid: number;
  invalid: number;
  readonly devices: Set<string>;
}

export class StatsCollector {
  private readonly devices = new Map<string, DeviceStats>();
  private readonly protocols = new Map<string, ProtocolStats>();

  private protocol(name: string): ProtocolStats {
    let p = this.protocols.get(name);
    if (!p)
      this.protocols.set(
        name,
        (p = {
          protocol: name,
          frames: 0,
          malformed: 0,
          messages: 0,
          valid: 0,
          invalid: 0,
          first: undefined,
          last: undefined,
          devices: new Set(),
        }),
      );
    return p;
  }

  /** Counts a record's frames (nested ones too); messages come separately through `message`. */
  record(r: TimelineRecord): void {
    if (r.kind !== 'frame') return;
    const p = this.protocol(r.frame.protocol);
    p.frames++;
    if (!r.frame.ok || r.frame.issues.some((i) => i.severity === 'error')) p.malformed++;
    for (const c of r.nested ?? []) this.record(c);
  }

  message(m: ExportMessage): void {
    let d = this.devices.get(m.device);
    if (!d) this.devices.set(m.device, (d = new DeviceStats(m.device)));
    d.add(m);
    const p = this.protocol(m.protocol);
    p.messages++;
    p.devices.add(m.device);
    widen(p, m.time);
    if (m.fix?.valid) p.valid++;
    else if (m.fix) p.invalid++;
  }

  toJson() {
    const time = (t: number | undefined) => (t === undefined ? null : isoTime(t));
    return {
      devices: [...this.devices.values()].map((d) => {
        const { median, gaps } = d.reporting();
        return {
          device: d.device,
          protocols: [...d.protocols],
          messages: d.messages,
          commands: d.commands,
          fixes: { valid: d.valid, invalid: d.invalid },
          first: time(d.first),
          last: time(d.last),
          distanceKm: Math.round(d.distanceKm * 1000) / 1000,
          medianIntervalSeconds: median ?? null,
          intervals: Object.fromEntries(
            ['backwards', '0s', ...HISTOGRAM.map(([b]) => b)].map((b) => [b, d.histogram.get(b) ?? 0]),
          ),
          gaps: gaps.map((g) => ({ from: isoTime(g.from), seconds: g.seconds })),
        };
      }),
      protocols: [...this.protocols.values()].map((p) => ({
        protocol: p.protocol,
        frames: p.frames,
        malformed: p.malformed,
        messages: p.messages,
        devices: p.devices.size,
        fixes: { valid: p.valid, invalid: p.invalid },
        first: time(p.first),
        last: time(p.last),
      })),
    };
  }
}

export type StatsJson = ReturnType<StatsCollector['toJson']>;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function statsText(s: StatsJson): string {
  const out: string[] = ['Devices'];
  const t = (v: string | null) => v ?? '-';
  out.push(
    table([
      [
        'device',
        'protocols',
        'messages',
        'commands',
        'valid',
        'invalid',
        'first',
        'last',
        'km',
        'median',
        'gaps',
      ],
      ...s.devices.map((d) => [
        d.device,
        d.protocols.join(','),
        String(d.messages),
        String(d.commands),
        String(d.fixes.valid),
        String(d.fixes.invalid),
        t(d.first),
        t(d.last),
        d.distanceKm.toFixed(3),
        d.medianIntervalSeconds === null ? '-' : `${d.medianIntervalSeconds}s`,
        String(d.gaps.length),
      ]),
    ]),
  );
  out.push('', 'Reporting intervals (uplink messages, input order)');
  const buckets = Object.keys(s.devices[0]?.intervals ?? {});
  out.push(
    table([
      ['device', ...buckets],
      ...s.devices.map((d) => [d.device, ...Object.values(d.intervals).map(String)]),
    ]),
  );
  const gaps = s.devices.flatMap((d) => d.gaps.map((g) => `  ${d.device}: ${g.seconds}s from ${g.from}`));
  if (gaps.length > 0) out.push('', `Gaps (intervals over ${GAP_FACTOR}x the device's median)`, ...gaps);
  out.push('', 'Protocols');
  out.push(
    table([
      ['protocol', 'frames', 'malformed', 'messages', 'devices', 'valid', 'invalid', 'first', 'last'],
      ...s.protocols.map((p) => [
        p.protocol,
        String(p.frames),
        String(p.malformed),
        String(p.messages),
        String(p.devices),
        String(p.fixes.valid),
        String(p.fixes.invalid),
        t(p.first),
        t(p.last),
      ]),
    ]),
  );
  return `${out.join('\n')}\n`;
}
