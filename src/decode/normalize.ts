// The normalized object: a flat record of flespi-style parameters (the Cantrack parameter list's names),
// fed by the fields whose schema node names a `param`, plus constants declared on the nodes that
// matched. A parameter fed by a repeated field (WiFi access points, batched records) becomes a list.
import type { FrameType } from '../schema/index.js';

export type Scalar = string | number | boolean;
export type Normalized = Readonly<Record<string, Scalar | readonly Scalar[]>>;

function convert(value: unknown, as: string | undefined): Scalar | undefined {
  if (value === undefined || value === '') return undefined;
  switch (as) {
    case 'number': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      return Number.isFinite(n) ? n : undefined;
    }
    case 'hex': {
      const s = String(value);
      return /^[0-9A-Fa-f]+$/.test(s) ? parseInt(s, 16) : undefined;
    }
    case 'boolean':
      return value === true || value === 1 || value === '1';
    default:
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : undefined;
  }
}

export function normalize(
  values: readonly (readonly [string, unknown, string | undefined])[],
  constants: readonly Readonly<Record<string, Scalar>>[],
  frameType: FrameType,
): Normalized {
  const out: Record<string, Scalar | Scalar[]> = { 'message.type': frameType.name };
  for (const c of constants) Object.assign(out, c);
  const seen = new Set<string>();
  for (const [param, value, as] of values) {
    const v = convert(value, as);
    if (v === undefined) continue;
    if (!seen.has(param)) {
      seen.add(param);
      out[param] = v;
    } else {
      const prev = out[param]!;
      out[param] = Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return out;
}
