// Frames the platform emulator builds: Meiligao downlink frames for any device id and command (length
// and CRC computed by the encoder), and text commands checked against their protocol's grammar.
import { decodeStream, fromHex, type DecodedFrame } from '../../decode/index.js';
import { meiligao, protocolByName } from '../../protocols/index.js';
import { unescapeText } from '../../capture/index.js';
import { rewriteIdentity } from '../identity.js';

const CRLF = new Uint8Array([0x0d, 0x0a]);

/** A Meiligao `@@` frame to `deviceId`: command code and data, length and CRC-CCITT filled in. */
export function meiligaoDownlink(
  deviceId: string,
  command: number,
  data: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const length = 17 + data.length;
  const raw = new Uint8Array(length);
  raw.set([0x40, 0x40, length >> 8, length & 0xff]);
  raw.fill(0xff, 4, 11);
  raw.set([command >> 8, command & 0xff], 11);
  raw.set(data, 13);
  raw.set(CRLF, length - 2);
  const first = decodeStream(meiligao, raw, { direction: 'downlink' }).find((r) => r.kind === 'frame');
  if (!first || first.kind !== 'frame')
    throw new Error(`Meiligao command 0x${command.toString(16)} does not frame`);
  return rewriteIdentity(first.frame, new Uint8Array(0), deviceId).bytes;
}

/** A field's value by the end of its path (`.flag`, `.offset`). */
export function fieldValue(frame: DecodedFrame, suffix: string): unknown {
  return frame.fields.find((f) => f.path.endsWith(suffix) && f.value !== undefined)?.value;
}

export class PushError extends Error {}

/** Ids from the documents' samples, to check a command before any device has connected. */
const SAMPLE_IDS: Readonly<Record<string, string>> = {
  meiligao: '12345678901',
  h02: '4209951296',
  mt700: '862255061947757',
};

/** A server command from `--push`: text for text protocols, `CMD[:HEX]` for Meiligao. */
export interface PushCommand {
  readonly protocol: string;
  /** The bytes for a device id ({id} in text is replaced by it). */
  build(deviceId: string): Uint8Array;
  readonly text: string;
}

/** `mt700=MODE,1,10\r\n`, `h02=*HQ,{id},S20,130305,1,1#`, `meiligao=0x4132:30`. */
export function parsePush(spec: string): PushCommand {
  const eq = spec.indexOf('=');
  const name = eq > 0 ? spec.slice(0, eq) : '';
  const text = spec.slice(eq + 1);
  const protocol = protocolByName(name);
  if (!protocol || !['meiligao', 'mt700', 'h02'].includes(protocol.name))
    throw new PushError(
      `--push ${JSON.stringify(spec)}: expected meiligao=, mt700= or h02= before the command`,
    );
  let build: (id: string) => Uint8Array;
  if (protocol.name === 'meiligao') {
    const m = /^(?:0x)?([0-9a-f]{4})(?::([0-9a-f]*))?$/i.exec(text);
    const data = m ? fromHex(m[2] ?? '') : undefined;
    if (!m || !data)
      throw new PushError(
        `--push ${JSON.stringify(spec)}: Meiligao commands are CMD[:HEXDATA], e.g. 0x4132:30`,
      );
    const command = parseInt(m[1]!, 16);
    build = (id) => meiligaoDownlink(id, command, data);
  } else {
    const unescaped = Buffer.from(unescapeText(text)).toString('latin1');
    build = (id) => new Uint8Array(Buffer.from(unescaped.replaceAll('{id}', id), 'latin1'));
  }
  const sample = build(SAMPLE_IDS[protocol.name]!);
  const records = decodeStream(protocol, sample, { direction: 'downlink' });
  const frame = records.find((r) => r.kind === 'frame');
  if (!frame || frame.kind !== 'frame' || records.some((r) => r.kind === 'undecoded') || !frame.frame.ok)
    throw new PushError(`--push ${JSON.stringify(spec)}: not a ${protocol.name} server command`);
  return { protocol: protocol.name, build, text };
}
