// The field arguments of `trackshark encode`: frame names read from the schemas, and `path=value`
// texts turned into the encoder's value. The property: any valid value of any frame type, written
// as the `name=value` arguments a user would type, encodes to the same bytes and decodes back to it.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { decodeFrame, encodeFrame, toHex } from '../../src/decode/index.js';
import { comparable, frameArbitrary, throughAmbiguousChoice } from '../../src/fuzz/arbitrary.js';
import { findFrame, frameCatalog, type FrameChoice } from '../../src/pipeline/encode-catalog.js';
import { buildValue, parseFieldArg, splitValueObject } from '../../src/pipeline/encode-fields.js';
import { PROTOCOLS, fibocom, meiligao, mt700 } from '../../src/protocols/index.js';
import { COMMAND_KEYWORDS } from '../../src/protocols/mictrack/tables.js';
import { alternatives, altLabel, rootPath, type Node, type Protocol } from '../../src/schema/index.js';

const noFiles = (name: string): Uint8Array => {
  throw new Error(`unexpected read of ${name}`);
};

function choice(protocol: Protocol, name: string): FrameChoice {
  const found = findFrame(protocol, name);
  if ('error' in found) throw new Error(found.error);
  return found;
}

/** A value as `name=value` texts: full dotted names, list items indexed, empty groups as JSON. */
function fieldArgs(n: Node, value: unknown, path: string, out: string[], memberKey?: string): string[] {
  if (value === undefined) return out;
  switch (n.kind) {
    case 'struct': {
      const v = value as Record<string, unknown>;
      if (Object.keys(v).length === 0) out.push(`${path}={}`);
      for (const [key, c] of Object.entries(n.fields)) {
        if (c.kind === 'switch' || c.kind === 'choice') fieldArgs(c, v, path, out, key);
        else fieldArgs(c, v[key], `${path}.${key}`, out);
      }
      return out;
    }
    case 'switch':
    case 'choice': {
      const holder = value as Record<string, unknown>;
      for (const [key, c] of alternatives(n)) {
        if (c.kind === 'switch' || c.kind === 'choice') fieldArgs(c, holder, path, out, memberKey);
        else {
          const label = altLabel(n, key, c, memberKey);
          fieldArgs(c, holder[label], `${path}.${label}`, out);
        }
      }
      return out;
    }
    case 'optional':
    case 'line':
      return fieldArgs(n.node, value, path, out, memberKey);
    case 'repeat': {
      const items = value as unknown[];
      if (items.length === 0) out.push(`${path}=[]`);
      items.forEach((item, i) => fieldArgs(n.node, item, `${path}[${i}]`, out));
      return out;
    }
    case 'lit':
    case 'computed':
      return out;
    case 'bytes':
      out.push(`${path}=${toHex(value as Uint8Array)}`);
      return out;
    default:
      out.push(`${path}=${String(value)}`);
      return out;
  }
}

describe('frame names', () => {
  test('every MT700 command keyword names its case of the command frame', () => {
    const names = frameCatalog(
      mt700,
      mt700.frames.find((f) => f.name === 'command')!,
    ).aliases.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(Object.keys(COMMAND_KEYWORDS)));
  });

  test('a Meiligao command code stands for its command; a case label also for its direction', () => {
    const code = choice(meiligao, '0x9501').alias!;
    expect(code.sets).toEqual([['command', 0x9501]]);
    expect(code.direction).toBeUndefined();
    expect(choice(meiligao, 'ota_authorize').alias).toMatchObject({
      direction: 'downlink',
      rel: 'ota_authorize',
    });
    expect(choice(meiligao, 'ota_authorize_ack').alias).toMatchObject({ direction: 'uplink' });
    expect(choice(meiligao, 'login').alias!.empty).toEqual(new Uint8Array(0));
  });

  test('an AT command is named as on the wire, with its AT prefix', () => {
    const c = choice(fibocom, 'AT+MIPSEND');
    expect(c.catalog.frameType.name).toBe('command');
    expect(c.alias!.sets).toEqual([['name', '+MIPSEND']]);
    expect(findFrame(fibocom, '+MIPSEND')).toEqual({
      error: 'fibocom has +MIPSEND in several frame types: say which (command:+MIPSEND, response:+MIPSEND)',
    });
    const downlink = findFrame(fibocom, '+MIPSEND', 'downlink');
    expect('error' in downlink ? downlink.error : downlink.catalog.frameType.name).toBe('response');
  });
});

describe('buildValue', () => {
  const build = (c: FrameChoice, args: string[]) =>
    buildValue(c, args.map(parseFieldArg), { readBytes: noFiles });

  test('short names are settled by what is already chosen (mode=1 leaves one interval)', () => {
    expect(build(choice(mt700, 'MODE'), ['interval=30', 'mode=1']).value).toEqual({
      keyword: 'MODE',
      mode: { mode: '1', real_time: { interval: '30' } },
    });
  });

  test('a field in a variant chooses it, which settles the names beside it', () => {
    const v = build(choice(fibocom, 'AT+MIPSEND'), ['socket_id=1', 'data=4142']).value;
    expect(v).toEqual({ prefix: 'AT', name: '+MIPSEND', mipsend: { set: { socket_id: '1', data: '4142' } } });
  });

  test('integers take decimal, 0x hex or a value name; a direction marker sets the direction', () => {
    const built = build(choice(meiligao, 'frame'), [
      'start=$$',
      'device_id=1',
      'command=OTA authorization',
      'flag=0x01',
    ]);
    expect(built.direction).toBe('uplink');
    expect(built.value).toEqual({
      start: '$$',
      device_id: '1',
      command: 0x9501,
      ota_authorize_ack: { flag: 1 },
    });
  });

  test('list items: repeated names append, [i] places; a JSON list replaces', () => {
    const h02 = PROTOCOLS.find((p) => p.name === 'h02')!;
    const md = build(choice(h02, 'working_mode'), ['values=3', 'values=8', 'values[3]=9']).value as Record<
      string,
      never
    >;
    expect(md['working_mode']).toEqual({ args: { values: ['3', '8', undefined, '9'] } });
    const json = build(choice(h02, 'working_mode'), ['values=[1,2]']).value as Record<string, never>;
    expect(json['working_mode']).toEqual({ args: { values: [1, 2] } });
  });

  test("--value objects: dotted keys are fields (decode --json's fields), the rest the nested value", () => {
    const { base, args } = splitValueObject({ 'meiligao.device_id': '12345678901', start: '$$' });
    expect(base).toEqual({ start: '$$' });
    expect(args).toEqual([{ name: 'meiligao.device_id', input: { json: '12345678901' } }]);
  });
});

describe.each(PROTOCOLS.map((p) => [p.name, p] as const))(
  '%s: name=value arguments round-trip',
  (_name, protocol) => {
    test.each(protocol.frames.map((ft) => [ft.name, ft] as const))('%s', (_ft, frameType) => {
      const c: FrameChoice = { catalog: frameCatalog(protocol, frameType), alias: undefined };
      fc.assert(
        fc.property(frameArbitrary(protocol, frameType), ({ value, direction }) => {
          const args = fieldArgs(frameType.node, value, rootPath(protocol, frameType), []);
          const built = buildValue(c, args.map(parseFieldArg), { readBytes: noFiles, direction });
          const bytes = encodeFrame(protocol, frameType, built.value, { direction, strict: true });
          expect(bytes).toEqual(encodeFrame(protocol, frameType, value, { direction }));
          const decoded = decodeFrame(protocol, frameType, bytes, { direction });
          expect(decoded.ok).toBe(true);
          if (!throughAmbiguousChoice(frameType.node, value))
            expect(comparable(frameType.node, decoded.value)).toEqual(comparable(frameType.node, value));
        }),
        { numRuns: 150 },
      );
    });
  },
);
