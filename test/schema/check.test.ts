// checkSchema catches each kind of bad schema, and every registered protocol passes it.
import { describe, expect, test } from 'vitest';
import { PROTOCOLS } from '../../src/protocols/index.js';
import {
  bytes,
  checkSchema,
  checksum,
  computed,
  countOf,
  delimited,
  digits,
  frameType,
  hex,
  lengthOf,
  lit,
  protocol,
  span,
  struct,
  switchOn,
  text,
  u16,
  u8,
  type Node,
} from '../../src/schema/index.js';

const line = { kind: 'line', max: 100 } as const;
const proto = (node: Node, name = 'demo') =>
  protocol({
    name,
    title: 'demo',
    ref: '',
    frames: [frameType({ name: 'f', segment: '', title: 'f', node, framing: line })],
  });
const messages = (node: Node, name?: string) => checkSchema(proto(node, name)).map((p) => p.message);

test('every registered protocol passes', () => {
  for (const p of PROTOCOLS) expect(checkSchema(p), p.name).toEqual([]);
});

describe('rejects', () => {
  test('closures and regular expressions', () => {
    const withFn = Object.freeze({ kind: 'token', syntax: 'text', refine: () => true }) as unknown as Node;
    expect(messages(struct({ a: withFn }))).toContain(
      'a function in a schema: generators cannot translate it',
    );
    const withRe = Object.freeze({ kind: 'token', syntax: 'text', pattern: /x/ }) as unknown as Node;
    expect(messages(struct({ a: withRe }))).toContain(
      'a RegExp in a schema: Lua 5.2 has no regular expressions',
    );
  });

  test('unfrozen nodes (a protocol assembled without the DSL)', () => {
    const handMade = {
      name: 'demo',
      title: 'demo',
      ref: '',
      frames: [{ name: 'f', segment: '', title: 'f', node: { kind: 'struct', fields: {} }, framing: line }],
    };
    expect(checkSchema(handMade as never).map((p) => p.message)).toContain(
      'schema objects must be frozen (build them with the DSL)',
    );
  });

  test('bad protocol and field names, integer-like keys', () => {
    expect(messages(struct({ a: u8() }), 'X')).toContain(
      'protocol name must be lowercase [a-z0-9_], at least 2 characters',
    );
    expect(messages(struct({ Bad: u8() }))).toContain('field names are snake_case');
    expect(messages(struct({ 7: u8() }))).toContain('integer-like keys break wire order (object keys)');
  });

  test('a switch on a later or unknown field', () => {
    expect(messages(struct({ body: switchOn('cmd', { 1: u8({ label: 'one' }) }), cmd: u8() }))).toContain(
      'switch on cmd, which is not an earlier field',
    );
  });

  test('derived fields whose targets do not resolve or whose type cannot hold them', () => {
    expect(messages(struct({ len: u16({ derive: lengthOf('nothing') }) }))).toContain(
      'lengthOf target nothing does not resolve',
    );
    expect(messages(struct({ len: digits({ derive: lengthOf('$frame') }) }))).toContain(
      'lengthOf needs a binary integer (text lengths change width)',
    );
    expect(
      messages(struct({ a: u8(), crc: u8({ derive: checksum('crc16-ccitt-false', span('a')) }) })),
    ).toContain('crc16-ccitt-false needs a 2-byte field');
    expect(
      messages(delimited(',', { a: text(), cs: hex({ derive: checksum('xor8', span('a')) }) })),
    ).toContain('xor8 in text needs hex({ length: [2, 2] })');
    expect(messages(delimited(',', { n: hex({ derive: countOf('a') }), a: text() }))).toContain(
      'countOf in text needs digits or integer',
    );
  });

  test('computed fields reading later fields', () => {
    expect(messages(struct({ x: computed('number', ['a']), s: lit(','), a: digits() }))).toContain(
      'computed argument a is not an earlier field',
    );
  });

  test('a variable-size field after a rest field, and adjacent tokens', () => {
    expect(messages(struct({ data: bytes('rest'), more: bytes({ ref: 'x' }) }))).toContain(
      "follows a 'rest' field but has no fixed size",
    );
    expect(messages(struct({ a: digits(), b: text() }))).toContain(
      'token followed directly by token b: nothing tells where one ends',
    );
  });

  test('two fields with one name but different types', () => {
    const node = struct({
      kind: u8(),
      body: switchOn('kind', {
        1: struct({ x: u8() }, { label: 'v' }),
        2: struct({ x: u16() }, { label: 'v' }),
      }),
    });
    expect(messages(node)).toContain('two fields share this name with different types (uint8, uint16)');
  });
});

test('a label shared by two cases of one switch (the encoder could not choose)', () => {
  const node = struct({
    cmd: u16(),
    body: switchOn('cmd', {
      1: struct({ a: u8() }, { label: 'pos' }),
      2: struct({ a: u8() }, { label: 'pos' }),
    }),
  });
  expect(messages(node)).toContain(
    'case label pos is used by 2 different cases: an encoder cannot tell which to write',
  );
});
