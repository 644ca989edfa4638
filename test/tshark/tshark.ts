// Running tshark with the generated dissectors, isolated from personal settings, and reading its
// JSON and PDML output back into per-frame fields and byte ranges.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HAS_TSHARK = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0;

const home = mkdtempSync(join(tmpdir(), 'trackshark-tshark-'));

/** `-X lua_script:` for every generated file in `dir`. */
export function luaScripts(dir = 'dissectors'): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.lua'))
    .sort()
    .map((f) => `-Xlua_script:${join(dir, f)}`);
}

export interface TsharkResult {
  readonly status: number | null;
  readonly stdout: string;
  /** stderr without the warning tshark prints when run as root. */
  readonly stderr: string;
}

export function tshark(args: readonly string[], dir = 'dissectors'): TsharkResult {
  const a =
    args[0] === '-G'
      ? [args[0], args[1]!, ...luaScripts(dir), ...args.slice(2)]
      : ['-n', ...luaScripts(dir), ...args];
  const r = spawnSync('tshark', a, {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, HOME: home, WIRESHARK_CONFIG_DIR: home, TZ: 'UTC' },
  });
  const stderr = r.stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('Running as user "root"'))
    .join('\n');
  return { status: r.status, stdout: r.stdout, stderr };
}

/** One dissected frame (PDU) of a protocol: its fields' shown values, in tree order. */
export type PduValues = Map<string, string[]>;

/**
 * Flattens `-T json --no-duplicate-keys` output: per packet, per PDU of `proto`, the leaf values.
 * PDUs nested in another protocol's tree (frames carried in an AT line) count too, in tree order.
 */
export function jsonPdus(stdout: string, proto: string): PduValues[] {
  const packets = JSON.parse(stdout) as { _source: { layers: Record<string, unknown> } }[];
  const out: PduValues[] = [];
  const find = (obj: unknown): void => {
    if (typeof obj !== 'object' || obj === null) return;
    for (const [key, v] of Object.entries(obj as Record<string, unknown>))
      for (const item of Array.isArray(v) ? v : [v]) {
        if (key !== proto) find(item);
        else if (typeof item === 'object') {
          const values: PduValues = new Map();
          walk(item, values);
          out.push(values);
        }
      }
  };
  for (const pkt of packets) find(pkt._source.layers);
  return out;
}

function walk(obj: unknown, values: PduValues): void {
  if (typeof obj !== 'object' || obj === null) return;
  for (const [key, v] of Object.entries(obj as Record<string, unknown>)) {
    if (key.startsWith('_ws.')) continue;
    for (const item of Array.isArray(v) ? v : [v]) {
      if (typeof item === 'string') {
        const list = values.get(key) ?? [];
        list.push(item);
        values.set(key, list);
      } else walk(item, values);
    }
  }
}

/** One PDU of a protocol in PDML: its start and every field's [offset within the PDU, size]. */
export interface PduSpans {
  readonly pos: number;
  readonly size: number;
  readonly spans: Map<string, [number, number][]>;
}

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

export function pdmlPdus(stdout: string, proto: string): PduSpans[] {
  const out: PduSpans[] = [];
  // Protos nest (expert infos are `<proto name="_ws.expert">` inside a field): a stack of them.
  const stack: (PduSpans | undefined)[] = [];
  let current: PduSpans | undefined;
  for (const m of stdout.matchAll(/<(proto|field)\s[^>]*?(\/?)>|<\/proto>/g)) {
    const tag = m[0];
    if (tag === '</proto>') {
      stack.pop();
      current = stack.findLast((x) => x !== undefined);
      continue;
    }
    const name = attr(tag, 'name');
    const pos = Number(attr(tag, 'pos'));
    const size = Number(attr(tag, 'size'));
    if (m[1] === 'proto') {
      const pdu = name === proto ? { pos, size, spans: new Map() } : undefined;
      if (pdu) out.push(pdu);
      if (m[2] !== '/') stack.push(pdu);
      current = stack.findLast((x) => x !== undefined);
    } else if (current && name && !name.startsWith('_ws.')) {
      const list = current.spans.get(name) ?? [];
      list.push([pos - current.pos, size]);
      current.spans.set(name, list);
    }
  }
  return out;
}
