// `trackshark map` (the SVG parsed as strict XML; the HTML drawn by headless Chromium, which measures
// the tracks it laid out) and `trackshark stats` (distance, intervals, gaps).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  haversineKm,
  MAP_POINTS,
  mapSvgElement,
  StatsCollector,
  Tracks,
  type ExportMessage,
} from '../../src/export/index.js';
import type { FrameRecord } from '../../src/pipeline/index.js';
import { trackshark } from '../helpers/cli.js';
import { elements, parseXml, type XmlElement } from '../pipeline/check-xml.js';
import { CAPTURES, expectGolden } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'trackshark-map-'));

function all(e: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  return elements(e).flatMap((c) => [...(test(c) ? [c] : []), ...all(c, test)]);
}

const hasClass = (e: XmlElement, c: string) => (e.attrs['class'] ?? '').split(' ').includes(c);

describe('map: SVG', () => {
  const out = join(tmp(), 'track.svg');
  const r = trackshark(['map', '--out', out, ...CAPTURES]);
  const text = readFileSync(out, 'utf8');
  const svg = parseXml(text);

  it('is well-formed SVG with one track per device that has two valid fixes', () => {
    expect(r.status).toBe(0);
    expect(svg.name).toBe('svg');
    const devices = all(svg, (e) => hasClass(e, 'device'));
    expect(devices.map((d) => d.attrs['data-device'])).toEqual([
      '862255061947757',
      '4209951296',
      '4106012736',
      '4209917484',
      '8812000001',
      '2020916012',
      '355488020930796',
      '(no id) captures/h02/v1.txt',
    ]);
    const tracks = devices.map((d) => all(d, (e) => e.name === 'polyline' && hasClass(e, 'track')).length);
    expect(tracks).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    // The legend names every device, with its colour.
    const legend = all(svg, (e) => hasClass(e, 'entry'));
    expect(legend).toHaveLength(8);
    expect(elements(legend[0]!, 'rect')[0]!.attrs['fill']).toBe('#4e79a7');
    expect(all(devices[0]!, (e) => e.name === 'polyline')[0]!.attrs['stroke']).toBe('#4e79a7');
  });

  it('maps coordinates through the projection it declares', () => {
    const d = svg.attrs;
    const x = (lon: number) =>
      Number(d['data-cx']) + (lon - Number(d['data-lon-center'])) * Number(d['data-scale-x']);
    const y = (lat: number) =>
      Number(d['data-cy']) - (lat - Number(d['data-lat-center'])) * Number(d['data-scale-y']);
    const mt700 = all(svg, (e) => e.attrs['data-device'] === '862255061947757')[0]!;
    const [first] = all(mt700, (e) => e.name === 'circle' && hasClass(e, 'valid'));
    expect(Number(first!.attrs['cx'])).toBeCloseTo(x(114.0343917), 1);
    expect(Number(first!.attrs['cy'])).toBeCloseTo(y(22.6482433), 1);
    // Longitude is scaled by cos(latitude) at the map's middle latitude.
    const ratio = Number(d['data-scale-x']) / Number(d['data-scale-y']);
    expect(ratio).toBeCloseTo(Math.cos((Number(d['data-lat-center']) * Math.PI) / 180), 6);
    // The grid is labelled in degrees.
    const labels = all(svg, (e) => hasClass(e, 'label')).map((e) => e.children.join(''));
    expect(labels.some((l) => /^\d+°E$/.test(l))).toBe(true);
    expect(labels.some((l) => /°[NS]$/.test(l))).toBe(true);
    // Invalid fixes are hollow and crossed.
    const invalid = all(svg, (e) => hasClass(e, 'invalid'));
    expect(invalid.length).toBe(2);
    expect(elements(invalid[0]!, 'circle')[0]!.attrs['fill']).toBe('#fff');
    expect(elements(invalid[0]!, 'path')).toHaveLength(1);
  });

  it('matches its golden file', () => {
    expectGolden('map.svg', text);
  });

  it('refuses other file names and inputs without positions', () => {
    const bad = trackshark(['map', '--out', join(tmp(), 'x.png'), CAPTURES[0]!]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/x\.png: the map is written as \.svg or \.html/);
    const none = trackshark(['map', '--out', join(tmp(), 'x.svg'), 'captures/h02/commands.txt']);
    expect(none.status).toBe(2);
    expect(none.stderr.trim()).toBe('trackshark: no positions in the inputs: nothing to map');
  });
});

const chromium = ['chromium', 'chromium-browser'].find(
  (c) => spawnSync(c, ['--version'], { encoding: 'utf8' }).status === 0,
);

describe.skipIf(!chromium)('map: HTML in headless Chromium', () => {
  it('draws one track per device with two valid fixes, over the fixes extent', () => {
    const dir = tmp();
    const out = join(dir, 'track.html');
    expect(
      trackshark(['map', '--out', out, 'captures/pcap/mt700-ipv4-ns-be.pcap', 'captures/h02/v1.txt']).status,
    ).toBe(0);
    const r = spawnSync(
      chromium!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--dump-dom',
        `file://${resolve(out)}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const drawn = /<output id="drawn"([^>]*)>([^<]*)<\/output>/.exec(r.stdout);
    expect(drawn, r.stderr).not.toBeNull();
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(drawn![1]!)?.[1];
    expect(attr('data-tracks')).toBe('2');
    expect(attr('data-valid-fixes')).toBe('10');
    expect(attr('data-invalid-fixes')).toBe('2');
    // West, south, east, north of the two tracks as the browser laid them out, back in degrees (the
    // map spans the globe here, so points sit at 0.01 px, a few thousandths of a degree):
    // the MT700 fixes and the H02 4209951296 ones (which lie within a few metres of each other).
    const [w, s, e, n] = attr('data-extent')!.split(',').map(Number);
    expect(w).toBeCloseTo(114.0343917, 2);
    expect(e).toBeCloseTo(114.077955, 2);
    expect(s).toBeCloseTo(22.5452967, 2);
    expect(n).toBeCloseTo(22.6482433, 2);
    expect(drawn![2]).toMatch(/^2 tracks drawn, lon 114\.03\d+ to 114\.07\d+/);
  }, 90_000);
});

function fixAt(device: string, time: number, lat: number, lon: number, valid = true): ExportMessage {
  return {
    device,
    ident: device,
    protocol: 'test',
    direction: 'uplink',
    time,
    serverTime: undefined,
    conversation: undefined,
    params: { ident: device, timestamp: time },
    fix: { lat, lon, valid },
    record: {} as FrameRecord,
  };
}

describe('map: tracks thinned to a point budget', () => {
  it('one long track keeps under twice its share, the last fix among them, in time order', () => {
    const tracks = new Tracks({ total: 1000, perDevice: 100, floor: 10 });
    for (let i = 0; i < 12_345; i++) tracks.add(fixAt('a', i, 22 + i * 1e-5, 114, i % 7 !== 0));
    const a = tracks.byDevice.get('a')!;
    expect(a.kept).toBeGreaterThanOrEqual(100);
    expect(a.kept).toBeLessThan(200);
    expect(a.thinned).toBe(true);
    expect([a.validFixes, a.invalidFixes]).toEqual([10_581, 1_764]); // every 7th from 0 invalid
    const list = a.list();
    expect(list.at(0)!.time).toBe(0);
    expect(list.at(-1)!.time).toBe(12_344); // not on the stride, kept anyway
    expect(list.map((p) => p.time)).toEqual([...list.map((p) => p.time)].sort((x, y) => x - y));
    // The extent counts every fix, dropped or not.
    expect(tracks.extent.maxLat).toBeCloseTo(22 + 12_344e-5, 9);
  });

  it('a fleet shares the total: 3,000 devices draw a map of the size of a few', () => {
    const tracks = new Tracks(MAP_POINTS);
    // A long-lived device first, then the fleet reporting in turn, as a capture interleaves them.
    for (let i = 0; i < 20_000; i++) tracks.add(fixAt('early', i, 22 + i * 1e-6, 114));
    for (let round = 0; round < 100; round++)
      for (let d = 0; d < 3000; d++)
        tracks.add(fixAt(`d${d}`, 20_000 + round, 22 + d * 1e-4, 114 + round * 1e-4));
    const svg = mapSvgElement(tracks, 'fleet')!;
    const kept = [...tracks.byDevice.values()].map((t) => t.kept);
    // 50,000 / 3,001 devices is below the floor of 20: every device keeps 20 to 39 points.
    expect(Math.min(...kept)).toBeGreaterThanOrEqual(MAP_POINTS.floor);
    expect(Math.max(...kept)).toBeLessThan(2 * MAP_POINTS.floor);
    const dots = svg.match(/<circle class="fix valid"/g)!.length;
    // Every kept point is drawn, with a device's last fix when the stride passed it by.
    const listed = [...tracks.byDevice.values()].map((t) => t.list().length);
    expect(dots).toBe(listed.reduce((x, y) => x + y, 0));
    expect(dots).toBeLessThanOrEqual(3001 * 40);
    expect(svg.match(/<polyline class="track"/g)).toHaveLength(3001);
    expect(svg).toContain('>20000 valid, 0 invalid, thinned<');
  });

  it('a few devices keep up to the per-device cap, unthinned below it', () => {
    const tracks = new Tracks(MAP_POINTS);
    for (let i = 0; i < 4_000; i++) for (const d of ['x', 'y']) tracks.add(fixAt(d, i, 22, 114 + i * 1e-5));
    tracks.fitAll();
    for (const t of tracks.byDevice.values()) expect([t.kept, t.thinned]).toEqual([4_000, false]);
  });
});

describe('stats', () => {
  it('haversine: one degree of latitude is 111.19 km; Paris to London about 343.5 km', () => {
    expect(haversineKm(0, 0, 1, 0)).toBeCloseTo(111.195, 3);
    expect(haversineKm(48.8566, 2.3522, 51.5074, -0.1278)).toBeCloseTo(343.56, 1);
  });

  it('distance over valid fixes, interval buckets and gaps over 3x the median', () => {
    const s = new StatsCollector();
    const times = [0, 30, 60, 90, 120, 600, 630, 630, 600];
    times.forEach((t, i) => s.message(fixAt('a', t, i * 0.01, 0, i !== 3)));
    const [a] = s.toJson().devices;
    expect(a!.fixes).toEqual({ valid: 8, invalid: 1 });
    // Valid fixes 0,1,2,4,5,6,7,8: latitude climbs 0.08° in steps, one invalid skipped.
    expect(a!.distanceKm).toBeCloseTo(haversineKm(0, 0, 0.08, 0), 2);
    expect(a!.intervals).toMatchObject({ backwards: 1, '0s': 1, '<=30s': 5, '<=15m': 1 });
    expect(a!.medianIntervalSeconds).toBe(30);
    expect(a!.gaps).toEqual([{ from: '1970-01-01T00:02:00Z', seconds: 480 }]);
  });

  it('prints per device and per protocol tables, and JSON', () => {
    const text = trackshark(['stats', ...CAPTURES]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^Devices\ndevice\s+protocols\s+messages/);
    expect(text.stdout).toMatch(/\nfibocom\s+\d+\s+0\s+0\s+0/);
    const json = JSON.parse(trackshark(['stats', '--json', CAPTURES[0]!]).stdout) as {
      devices: { device: string; fixes: unknown; distanceKm: number; first: string }[];
      protocols: { protocol: string; frames: number }[];
    };
    const mt700 = json.devices.find((d) => d.device === '862255061947757')!;
    expect(mt700.fixes).toEqual({ valid: 2, invalid: 0 });
    expect(mt700.distanceKm).toBeCloseTo(haversineKm(22.6482433, 114.0343917, 22.6482267, 114.0344), 3);
    expect(mt700.first).toBe('2024-01-10T12:18:31Z');
    expect(json.protocols).toEqual([expect.objectContaining({ protocol: 'mt700', frames: 4 })]);
    expectGolden('stats.txt', text.stdout);
  });
});
