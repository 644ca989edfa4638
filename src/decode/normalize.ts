// The normalized object: a flat record of flespi-style parameters (the Cantrack parameter list's names),
// fed by the fields whose schema node names a `param`, plus constants declared on the nodes that
// matched. A parameter fed by a repeated field (WiFi access points, batched records) becomes a list.
import type { FrameType } from '../schema/index.js';

export type Scalar = string | number | boolean;
export type Normalized = Readonly<Record<string, Scalar | readonly Scalar[]>>;

function convert(value: unknown, as: unknown): Scalar | undefined {
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

/**
 * `values` is flat, three entries per field (the decoder collects them without a tuple each):
 * parameter name, value, conversion (ParamConversion or undefined).
 */
export function normalize(
  values: readonly unknown[],
  constants: readonly Readonly<Record<string, Scalar>>[],
  frameType: FrameType,
): Normalized {
  const out: Record<string, Scalar | Scalar[]> = { 'message.type': frameType.name };
  for (const c of constants) Object.assign(out, c);
  // Fields replace a constant of the same name; later fields of a name extend a list.
  const seen: string[] = [];
  for (let i = 0; i < values.length; i += 3) {
    const param = values[i] as string;
    const v = convert(values[i + 1], values[i + 2]);
    if (v === undefined) continue;
    if (!seen.includes(param)) {
      seen.push(param);
      out[param] = v;
    } else {
      const prev = out[param]!;
      if (Array.isArray(prev)) prev.push(v);
      else out[param] = [prev, v];
    }
  }
  return out;
}
