// The benchmark capture: a fleet of MT700, Meiligao and H02 trackers, each on its own TCP
// connection to a tracking server, reporting in rounds as real fleets do (handshake, login and
// answer for Meiligao, position reports acknowledged by the server, heartbeats, a server command now
// and then, reconnects on new ports). Frames are encoded from the schemas with per-device identities
// and moving positions; packets are built by trackshark's packet builder and written as a pcap.
import { closeSync, openSync, writeSync } from 'node:fs';
import { LINKTYPE, PcapWriter, TcpConversationWriter, type SyntheticPacket } from '../src/capture/index.js';
import { decodeStream, encodeFrame } from '../src/decode/index.js';
import { protocolByName } from '../src/protocols/index.js';
import type { Protocol } from '../src/schema/index.js';

export interface MixedCaptureStats {
  readonly bytes: number;
  readonly packets: number;
  readonly frames: number;
  readonly connections: number;
}

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

function template(
  protocol: Protocol,
  bytes: Uint8Array,
): { frameType: string; value: Record<string, unknown> } {
  const r = decodeStream(protocol, bytes, { fields: false }).find((x) => x.kind === 'frame');
  if (!r || r.kind !== 'frame' || !r.frame.ok) throw new Error(`bad ${protocol.name} template`);
  return { frameType: r.frame.frameType, value: r.frame.value as Record<string, unknown> };
}

function encoder(protocolName: string) {
  const protocol = protocolByName(protocolName)!;
  return (frameType: string, value: unknown): Uint8Array =>
    encodeFrame(
      protocol,
      protocol.frames.find((f) => f.name === frameType)!,
      value,
    );
}

const pad = (n: number, width: number) => String(Math.floor(n)).padStart(width, '0');

/** NMEA ddmm.mmmm / dddmm.mmmm text of a coordinate. */
function nmea(deg: number, width: number): string {
  const d = Math.floor(Math.abs(deg));
  const m = (Math.abs(deg) - d) * 60;
  return `${pad(d, width)}${m.toFixed(4).padStart(7, '0')}`;
}

interface Fix {
  readonly time: string;
  readonly date: string;
  readonly lat: string;
  readonly lon: string;
}

function fixAt(unix: number, lat: number, lon: number): Fix {
  const t = new Date(unix * 1000);
  return {
    time: `${pad(t.getUTCHours(), 2)}${pad(t.getUTCMinutes(), 2)}${pad(t.getUTCSeconds(), 2)}`,
    date: `${pad(t.getUTCDate(), 2)}${pad(t.getUTCMonth() + 1, 2)}${pad(t.getUTCFullYear() % 100, 2)}`,
    lat: nmea(lat, 2),
    lon: nmea(lon, 3),
  };
}

const MT700 = template(
  protocolByName('mt700')!,
  enc(
    '#862255061947757#MT700#0000#AUTO#1\r\n#3815#$GPRMC,123548.00,A,2238.8936,N,11402.0640,E,,,100124,,,A*5A\r\n##\r\n',
  ),
);
const MEILIGAO_LOGIN = template(protocolByName('meiligao')!, hex('2424001112345678901fff50006f350d0a'));
const MEILIGAO_ANSWER = template(protocolByName('meiligao')!, hex('4040001212345678901fff400001ba310d0a'));
const MEILIGAO_POSITION = template(
  protocolByName('meiligao')!,
  hex(
    '2424008812345678901fff99553132333331382e3030302c412c323233382e383934362c4e2c31313430322e303633352c452c31322e35302c39362e37302c3130303132342c2c2a35437c302e397c35347c303430307c303030302c303131367c30314343303030303144323930313536313533447c31467c30303031453234307c3041ea1b0d0a',
  ),
);

type Value = Record<string, unknown>;
const clone = (v: Value): Value => structuredClone(v);

/** The frames one device sends (and receives), in order, for `reports` position reports. */
interface DeviceScript {
  readonly protocol: 'mt700' | 'meiligao' | 'h02';
  readonly port: number;
  greeting(): { from: 'client' | 'server'; bytes: Uint8Array }[];
  report(i: number, unix: number): Uint8Array;
}

function mt700Device(n: number): DeviceScript {
  const encode = encoder('mt700');
  const imei = `8622550${pad(61000000 + n, 8)}`;
  return {
    protocol: 'mt700',
    port: 7700,
    greeting: () => [],
    report: (i, unix) => {
      const v = clone(MT700.value);
      (v.head as Value).imei = imei;
      const rec = (v.records as Value[])[0]!;
      const rmc = (rec.sentence as Value).gprmc as Value;
      Object.assign(rmc, fixAt(unix, 22.6 + n * 1e-4 + i * 1e-5, 114.0 + n * 1e-4 + i * 2e-5));
      delete (rec.sentence as Value).checksum;
      return encode(MT700.frameType, v);
    },
  };
}

function meiligaoDevice(n: number): DeviceScript {
  const encode = encoder('meiligao');
  const id = `1011${pad(3000000 + n, 7)}`;
  /** A template's value as this device's: its id, and lengths and CRC left for the encoder. */
  const own = (t: { value: Value }): Value => {
    const v = clone(t.value);
    v.device_id = id;
    delete v.crc;
    delete v.length;
    return v;
  };
  const withId = (t: { frameType: string; value: Value }) => encode(t.frameType, own(t));
  return {
    protocol: 'meiligao',
    port: 5000,
    greeting: () => [
      { from: 'client', bytes: withId(MEILIGAO_LOGIN) },
      { from: 'server', bytes: withId(MEILIGAO_ANSWER) },
    ],
    report: (i, unix) => {
      const v = own(MEILIGAO_POSITION);
      const position = v.position as Value;
      const rmc = position.rmc as Value;
      const fix = fixAt(unix, 22.6 - n * 1e-4 - i * 1e-5, 114.0 + n * 1e-4 + i * 2e-5);
      Object.assign(rmc, { ...fix, time: `${fix.time}.000` });
      delete position.rmc_checksum;
      return encode(MEILIGAO_POSITION.frameType, v);
    },
  };
}

function h02Device(n: number): DeviceScript {
  const id = pad(4209000000 + n, 10);
  return {
    protocol: 'h02',
    port: 5013,
    greeting: () => [{ from: 'client', bytes: enc(`*HQ,${id},HTBT,100#`) }],
    report: (i, unix) => {
      const f = fixAt(unix, 22.54 + n * 1e-4 + i * 1e-5, 114.07 + n * 1e-4 + i * 2e-5);
      return enc(
        `*HQ,${id},V1,${f.time},A,${f.lat},N,${f.lon},E,000.21,000,${f.date},FFFFFBFF,460,00,10342,4283#`,
      );
    },
  };
}

/** Buffered pcap output: packets go to the file in large writes. */
class PcapOut {
  private readonly fd: number;
  private parts: Uint8Array[] = [];
  private size = 0;
  bytes = 0;
  packets = 0;

  constructor(
    path: string,
    private readonly writer: PcapWriter,
  ) {
    this.fd = openSync(path, 'w');
    this.push(writer.header());
  }

  packet(p: SyntheticPacket, micros: number): void {
    this.push(
      this.writer.packet({ seconds: Math.floor(micros / 1e6), nanos: (micros % 1e6) * 1000, data: p.data }),
    );
    this.packets++;
  }

  private push(b: Uint8Array): void {
    this.parts.push(b);
    this.size += b.length;
    this.bytes += b.length;
    if (this.size >= 8 << 20) this.flush();
  }

  flush(): void {
    if (this.size === 0) return;
    writeSync(this.fd, Buffer.concat(this.parts));
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * Writes at least `targetBytes` of fleet traffic. Devices report every 30 s in rounds; every 200
 * reports a device reconnects from a new port. Frames are encoded once per device and report slot
 * (16 slots, so identical frames repeat only after 16 reports) to keep generation fast.
 */
export function writeMixedCapture(path: string, targetBytes: number, devices = 3000): MixedCaptureStats {
  const out = new PcapOut(path, new PcapWriter({ linkType: LINKTYPE.ETHERNET }));
  const start = 1704889998;
  const scripts = Array.from({ length: devices }, (_, n) =>
    n % 3 === 0 ? mt700Device(n) : n % 3 === 1 ? meiligaoDevice(n) : h02Device(n),
  );
  const slots = scripts.map((s) => Array.from({ length: 16 }, (_, i) => s.report(i, start + i * 30)));
  let micros = start * 1e6;
  let frames = 0;
  let connections = 0;
  /** Packets go out 7 µs apart. */
  const emit = (ps: SyntheticPacket[]) => {
    for (const p of ps) out.packet(p, (micros += 7));
  };
  const connect = (n: number, generation: number) => {
    const s = scripts[n]!;
    connections++;
    const w = new TcpConversationWriter(
      {
        linkType: LINKTYPE.ETHERNET,
        client: {
          address: `10.${64 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`,
          port: 20000 + ((n * 7 + generation) % 40000),
        },
        server: { address: '192.0.2.10', port: s.port },
        startSeconds: 0,
      },
      {
        client: (n * 2654435761 + generation * 40503) >>> 0,
        server: (n * 40503 + generation * 2654435761) >>> 0,
      },
    );
    emit(w.open());
    for (const g of s.greeting()) {
      emit(w.send(g.from, g.bytes));
      frames++;
    }
    return w;
  };
  const conns = scripts.map((_, n) => connect(n, 0));
  for (let round = 0; out.bytes < targetBytes; round++) {
    for (let n = 0; n < devices && out.bytes < targetBytes; n++) {
      const s = scripts[n]!;
      const w = conns[n]!;
      emit(w.send('client', slots[n]![round % 16]!));
      frames++;
      if (s.protocol === 'h02' && round % 20 === 10) {
        emit(w.send('server', enc(`*HQ,${pad(4209000000 + n, 10)},S20,130305,1,1#`)));
        frames++;
      }
      if (round % 200 === 199) {
        emit(w.close('client'));
        conns[n] = connect(n, round + 1);
      }
    }
  }
  out.close();
  return { bytes: out.bytes, packets: out.packets, frames, connections };
}
