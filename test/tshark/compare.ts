// How a value tshark shows maps to the value `decode --json` prints, per ProtoField type, and the
// field-by-field comparison of one frame. The mapping is exact; nothing is compared approximately:
//   uint   "0x9500" (hex display) or "17" -> the integer
//   string the text itself (BCD ids are digit strings on both sides; lits and tokens their text)
//   bytes  "24:24:00" -> "242400" (decode prints lowercase hex)
//   double "22.6482433" -> Number(); tshark prints 15 significant digits, which re-read as the same
//          IEEE double the TypeScript rounding produced (both round to at most 9 decimals)
//   bool   "1"/"0" -> true/false
//   time   "Jan 10, 2024 12:33:18.500000000 UTC" -> unix seconds (+ nanoseconds), decode's number
// Not compared: containers (`none` fields: structs and repeats, which decode leaves out as having no
// value) and the dissector's own additions (checksum `.calculated`/`.status`, `<proto>.undecoded`).
import { fieldDecls, type FieldDecl } from '../../src/dissector/index.js';
import type { Protocol } from '../../src/schema/index.js';
import { jsonPdus, pdmlPdus } from './tshark.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function tsharkTime(shown: string): number {
  const m = /^(\w{3}) +(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{9}) UTC$/.exec(shown);
  if (!m) throw new Error(`not an absolute time: ${shown}`);
  const secs = Date.UTC(+m[3]!, MONTHS.indexOf(m[1]!), +m[2]!, +m[4]!, +m[5]!, +m[6]!) / 1000;
  return secs + Number(m[7]) / 1e9;
}

export function fromTshark(decl: FieldDecl, shown: string): unknown {
  switch (decl.type) {
    case 'uint':
      return shown.startsWith('0x') ? parseInt(shown.slice(2), 16) : Number(shown);
    case 'bytes':
      return shown.replace(/:/g, '').toLowerCase();
    case 'double':
      return Number(shown);
    case 'bool':
      return shown === '1' ? true : shown === '0' ? false : `not a bool: ${shown}`;
    case 'time':
      return tsharkTime(shown);
    default:
      return shown;
  }
}

/** Decode's value for the comparison: times to the nanosecond (tshark's resolution). */
function normalizeDecoded(decl: FieldDecl, v: unknown): unknown {
  if (decl.type === 'time' && typeof v === 'number') return Math.round(v * 1e9) / 1e9;
  return v;
}

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

export interface DecodedFrameJson {
  readonly protocol: string;
  readonly fields: Record<string, unknown>;
  readonly spans: Record<string, [number, number] | [number, number][]>;
}

/** Differences between one decoded frame and one tshark PDU (values and spans); empty when equal. */
export function compareFrame(
  decls: ReadonlyMap<string, FieldDecl>,
  decoded: DecodedFrameJson,
  values: Map<string, string[]>,
  spans: Map<string, [number, number][]>,
): string[] {
  const diffs: string[] = [];
  const compared = (path: string) => {
    const d = decls.get(path);
    return d !== undefined && d.type !== 'none' && !d.extra;
  };
  for (const [path, value] of Object.entries(decoded.fields)) {
    const decl = decls.get(path);
    if (!decl) {
      diffs.push(`${path}: no ProtoField`);
      continue;
    }
    const want = asList(value).map((v) => normalizeDecoded(decl, v));
    const got = (values.get(path) ?? []).map((s) => fromTshark(decl, s));
    if (JSON.stringify(got) !== JSON.stringify(want))
      diffs.push(`${path}: tshark ${JSON.stringify(got)} decode ${JSON.stringify(want)}`);
    const wantSpans = Array.isArray(decoded.spans[path]![0]) ? decoded.spans[path] : [decoded.spans[path]];
    const gotSpans = spans.get(path) ?? [];
    if (JSON.stringify(gotSpans) !== JSON.stringify(wantSpans))
      diffs.push(
        `${path}: PDML pos/size ${JSON.stringify(gotSpans)} decode spans ${JSON.stringify(wantSpans)}`,
      );
  }
  for (const path of values.keys())
    if (compared(path) && !(path in decoded.fields)) diffs.push(`${path}: only tshark shows it`);
  return diffs;
}

/**
 * Every frame of `protocols` that `decode --json` found in a capture, compared with tshark's PDUs
 * (same count, then field by field). `skip` leaves out decode frames by packet number.
 */
export function compareCapture(
  protocols: readonly Protocol[],
  decodedRecords: readonly Record<string, unknown>[],
  tsharkJson: string,
  tsharkPdml: string,
  skip: readonly number[] = [],
): { frames: number; diffs: string[] } {
  const diffs: string[] = [];
  let frames = 0;
  for (const protocol of protocols) {
    const decls = new Map(fieldDecls(protocol).map((d) => [d.path, d]));
    const want = decodedRecords.filter(
      (r) =>
        r.kind === 'frame' &&
        r.protocol === protocol.name &&
        !skip.includes((r.source as { packet: number }).packet),
    ) as unknown as DecodedFrameJson[];
    // Bytes outside any frame are a junk item of their own (decode's `undecoded` records).
    const isFrame = (keys: Iterable<string>) => [...keys].some((k) => decls.has(k) && !decls.get(k)!.extra);
    const values = jsonPdus(tsharkJson, protocol.name).filter((v) => isFrame(v.keys()));
    const spans = pdmlPdus(tsharkPdml, protocol.name).filter((s) => isFrame(s.spans.keys()));
    if (values.length !== want.length || spans.length !== want.length)
      diffs.push(`${protocol.name}: tshark shows ${values.length} frames, decode ${want.length}`);
    else
      want.forEach((frame, i) =>
        diffs.push(
          ...compareFrame(decls, frame, values[i]!, spans[i]!.spans).map(
            (d) => `${protocol.name} frame ${i + 1}: ${d}`,
          ),
        ),
      );
    frames += want.length;
  }
  return { frames, diffs };
}
