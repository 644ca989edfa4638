// A finding as a file: JSON with everything needed to regenerate it (run seed, case index, version,
// schema hash) and to resend it (the exact bytes), and a pcapng of the exchange, described in packet
// comments, that Wireshark and the generated dissectors open.
import {
  LINKTYPE,
  PcapngWriter,
  TcpConversationWriter,
  UdpConversationWriter,
  type SyntheticPacket,
} from '../capture/index.js';
import { fromHex, toHex } from '../decode/index.js';
import { joinBytes } from './delivery.js';
import type { DerivedMode } from './engine.js';
import type { Mutation } from './mutation.js';

export interface FindingFile {
  readonly format: 'trackshark-fuzz-finding/1';
  readonly signature: string;
  readonly detail: string;
  readonly trackshark: string;
  readonly schemaHash: string;
  readonly seed: number;
  readonly index: number;
  /** `in-process`, or `tcp://host:port` / `udp://host:port`. */
  readonly target: string;
  readonly protocol: string;
  readonly frameType: string;
  readonly direction?: string;
  readonly seedFrame: { readonly id: string; readonly hex: string };
  readonly mutations: readonly {
    readonly kind: string;
    readonly field?: string;
    readonly how: string;
    readonly at: number;
    readonly remove: number;
    readonly insert: string;
  }[];
  readonly derived: DerivedMode;
  /** Session frames, each awaiting its reply. */
  readonly session: readonly string[];
  /** What goes out, segment by segment (hex), after the session. */
  readonly segments: readonly string[];
  /** The frames inside the segments (garbage first), and which of them is the mutated one. */
  readonly garbage: string;
  readonly frames: readonly string[];
  readonly targetFrame: number;
  readonly probe?: string;
  readonly timing?: { readonly settleMs: number; readonly timeoutMs: number };
  readonly minimised?: {
    readonly tries: number;
    readonly steps: number;
    readonly from: number;
    readonly to: number;
  };
  readonly observed?: {
    readonly outcome: string;
    readonly phase: string;
    readonly replies: readonly string[];
  };
}

export const mutationRecords = (ms: readonly Mutation[]): FindingFile['mutations'] =>
  ms.map((m) => ({
    kind: m.kind,
    ...(m.field ? { field: m.field } : {}),
    how: m.how,
    at: m.at,
    remove: m.remove,
    insert: toHex(m.insert),
  }));

/** Reads a finding file's JSON; a one-line error for anything else. */
export function parseFinding(text: string): FindingFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('not JSON');
  }
  const f = v as Partial<FindingFile>;
  if (f.format !== 'trackshark-fuzz-finding/1' || !Array.isArray(f.segments) || !Array.isArray(f.session))
    throw new Error('not a trackshark fuzz finding (format trackshark-fuzz-finding/1)');
  for (const h of [...f.segments, ...f.session, ...(f.probe ? [f.probe] : [])])
    if (typeof h !== 'string' || fromHex(h) === undefined)
      throw new Error(`bad hex in finding: ${String(h).slice(0, 20)}`);
  return f as FindingFile;
}

export const bytesOf = (hex: string): Uint8Array => fromHex(hex) ?? new Uint8Array(0);

/** A pcapng of the finding: a TCP (or UDP) session around its bytes, with the replies observed. */
export function findingPcapng(f: FindingFile, port: number): Uint8Array {
  const w = new PcapngWriter();
  const blocks: Uint8Array[] = [
    w.section({
      application: `trackshark ${f.trackshark}`,
      comment: `trackshark fuzz finding: ${f.signature}`,
    }),
    w.interface({ linkType: LINKTYPE.ETHERNET, name: 'trackshark-fuzz' }).bytes,
  ];
  const conv = {
    linkType: LINKTYPE.ETHERNET,
    client: { address: '192.0.2.1', port: 40000 + (f.index % 20000) },
    server: { address: '192.0.2.10', port },
    startSeconds: 1_700_000_000,
  };
  const describe = [
    `trackshark fuzz ${f.trackshark}, schema ${f.schemaHash}: seed ${f.seed} case ${f.index} (${f.target})`,
    `oracle: ${f.signature}${f.detail ? ` - ${f.detail}` : ''}`,
    `seed frame ${f.seedFrame.id}; ${f.protocol} ${f.frameType}`,
    ...f.mutations.map((m) => `mutation: ${m.field ? `${m.field}: ` : ''}${m.how}`),
    `lengths and checksums: ${f.derived.mode === 'fixed' ? 'fixed up' : `left wrong on purpose (${f.derived.field})`}`,
  ];
  const replies = (f.observed?.replies ?? []).map(bytesOf);
  const packets: { p: SyntheticPacket; comments?: string[] }[] = [];
  const session = f.session.map(bytesOf);
  const segments = f.segments.map(bytesOf);
  if (f.target.startsWith('udp')) {
    const u = new UdpConversationWriter(conv);
    for (const s of session) packets.push({ p: u.send('client', s) });
    segments.forEach((s, i) =>
      packets.push({ p: u.send('client', s), ...(i === 0 ? { comments: describe } : {}) }),
    );
    for (const r of replies) packets.push({ p: u.send('server', r) });
  } else {
    const t = new TcpConversationWriter(conv);
    for (const p of t.open()) packets.push({ p });
    for (const s of session) for (const p of t.send('client', s)) packets.push({ p });
    segments.forEach((s, i) =>
      t
        .send('client', s)
        .forEach((p, k) => packets.push({ p, ...(i === 0 && k === 0 ? { comments: describe } : {}) })),
    );
    for (const r of replies) for (const p of t.send('server', r)) packets.push({ p });
    const end = f.observed?.outcome;
    if (end === 'reset')
      packets.push({ p: t.reset('server'), comments: ['the server reset the connection'] });
    else if (end === 'closed')
      t.close('server').forEach((p, k) =>
        packets.push({ p, ...(k === 0 ? { comments: ['the server closed the connection'] } : {}) }),
      );
    else for (const p of t.close('client')) packets.push({ p });
  }
  for (const { p, comments } of packets)
    blocks.push(
      w.packet({
        interfaceId: 0,
        seconds: p.seconds,
        nanos: p.nanos,
        data: p.data,
        ...(comments ? { comments } : {}),
      }),
    );
  return joinBytes(blocks);
}
