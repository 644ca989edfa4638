// TCP reassembly: the H02 session of shared/notes/capture-replay-fuzz.md C.4, the lifecycle cases, and
// properties over random segmentations, reorderings, duplicates, losses and garbage.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TCP_FLAGS,
  TcpReassembler,
  type SegmentInput,
  type StreamEvent,
  type TcpReassemblerOptions,
} from '../../src/capture/index.js';
import { bytes } from './helpers.js';

const { FIN, SYN, RST, PSH, ACK } = TCP_FLAGS;
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const u32 = (n: number) => n >>> 0;

const DEVICE = { address: '10.0.0.2', port: 40000 };
const SERVER = { address: '192.0.2.10', port: 5013 };

/** A capture in the making: each call is the next packet, from the client ('c') or the server ('s'). */
function capture(client = DEVICE, server = SERVER) {
  let packetIndex = 0;
  return (from: 'c' | 's', seq: number, ack: number, flags: number, payload: string | Uint8Array = '') => {
    const [a, b] = from === 'c' ? [client, server] : [server, client];
    const i = packetIndex++;
    return {
      packetIndex: i,
      seconds: 1704889998 + i,
      nanos: 1000 * i,
      src: a.address,
      dst: b.address,
      srcPort: a.port,
      dstPort: b.port,
      seq: u32(seq),
      ack: u32(ack),
      flags,
      payload: typeof payload === 'string' ? bytes(payload) : payload,
    } satisfies SegmentInput;
  };
}

/** Events as short tuples that a failing assertion prints readably. */
function compact(e: StreamEvent): unknown[] {
  switch (e.kind) {
    case 'open':
      return [
        'open',
        e.stream,
        `${e.client.address}:${e.client.port}`,
        `${e.server.address}:${e.server.port}`,
        e.midStream ? 'mid-stream' : 'syn',
        e.packetIndex,
      ];
    case 'data':
      return ['data', e.stream, e.from, e.offset, latin1(e.bytes), e.packetIndex];
    case 'gap':
      return ['gap', e.stream, e.from, e.offset, e.length, e.packetIndex];
    case 'conflict':
      return ['conflict', e.stream, e.from, e.offset, latin1(e.kept), latin1(e.discarded), e.packetIndex];
    case 'close':
      return ['close', e.stream, e.reason, e.packetIndex];
  }
}

function run(segments: readonly SegmentInput[], options?: TcpReassemblerOptions) {
  const r = new TcpReassembler(options);
  const events = [...segments.flatMap((s) => r.push(s)), ...r.end()];
  return { events, compact: events.map(compact), stats: r.stats };
}

describe('the H02 session of the capture note (C.4)', () => {
  const m1 = '*HQ,865205030000001,V1,123318,A,2234.1234,N,11354.5678,E,000.00,000,100124,FFFFFBFF#';
  const m2 = '*HQ,865205030000001,V1,123348,A,2234.1301,N,11354.5702,E,012.40,090,100124,FFFFFBFF#';
  const m3 = '*HQ,865205030000001,V1,123418,A,2234.1388,N,11354.5790,E,015.10,092,100124,FFFFFBFF#';
  const m3x = '*HQ,865205030000001,V1,123418,A,2234.1999,N,11354.5790,E,015.10,092,100124,FFFFFBFX#';
  const m4 = '*HQ,865205030000001,V1,123448,A,2234.1470,N,11354.5881,E,014.90,091,100124,FFFFFBFF#';
  const m5 = '*HQ,865205030000001,XT,100124#';
  const ISN = 0xfffffff0;
  const SISN = 0x20000000;
  const at = (offset: number) => ISN + 1 + offset;
  const o1 = 0;
  const o2 = o1 + m1.length;
  const o3 = o2 + m2.length;
  const o4 = o3 + m3.length;
  const o5 = o4 + m4.length;
  const p = capture();
  const segments = [
    p('c', ISN, 0, SYN), // 0
    p('s', SISN, at(0), SYN | ACK), // 1
    p('c', at(0), SISN + 1, ACK), // 2
    p('c', at(o1), SISN + 1, PSH | ACK, m1), // 3: crosses 2^32
    p('s', SISN + 1, at(o2), ACK), // 4
    p('c', at(o3), SISN + 1, PSH | ACK, m3), // 5: m3 before m2
    p('c', at(o2), SISN + 1, PSH | ACK, m2), // 6
    p('s', SISN + 1, at(o4), ACK), // 7
    p('c', at(o2), SISN + 1, PSH | ACK, m2), // 8: exact retransmission
    p('c', at(o3), SISN + 1, PSH | ACK, m3x), // 9: retransmission, different bytes
    // m4 is lost: the capture never sees it.
    p('c', at(o5), SISN + 1, PSH | ACK, m5), // 10
    p('s', SISN + 1, at(o5 + m5.length), ACK), // 11: the server had m4
    p('c', at(o5 + m5.length), SISN + 1, FIN | ACK), // 12
    p('s', SISN + 1, at(o5 + m5.length + 1), FIN | ACK), // 13
    p('c', at(o5 + m5.length + 1), SISN + 2, ACK), // 14
  ];

  it('gives the exact event list: reordered, retransmission dropped, conflict kept first, gap at the ACK', () => {
    const { compact: events, stats } = run(segments);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'client', 0, m1, 3],
      // m3 waits for m2; both come out when m2 arrives, each stamped with its own packet.
      ['data', 0, 'client', o2, m2, 6],
      ['data', 0, 'client', o3, m3, 5],
      ['conflict', 0, 'client', o3, m3, m3x, 9],
      // m5 waits for m4 until the server acknowledges past m4: the capture missed it.
      ['gap', 0, 'client', o4, m4.length, 11],
      ['data', 0, 'client', o5, m5, 10],
      ['close', 0, 'fin', 13],
    ]);
    expect(stats).toMatchObject({
      streams: 1,
      retransmissions: 2,
      conflicts: 1,
      gaps: 1,
      gapBytes: m4.length,
      outOfOrder: 2,
      keepalives: 0,
      uncheckedBytes: 0,
    });
  });

  it('stamps events with the packet and time they come from', () => {
    const { events } = run(segments);
    expect(events.find((e) => e.kind === 'gap')).toEqual({
      kind: 'gap',
      stream: 0,
      from: 'client',
      offset: o4,
      length: m4.length,
      packetIndex: 11,
      seconds: 1704889998 + 11,
      nanos: 11000,
    });
    const m3Event = events.find((e) => e.kind === 'data' && e.offset === o3);
    expect(m3Event).toMatchObject({ packetIndex: 5, seconds: 1704889998 + 5, nanos: 5000 });
  });

  it('without the server ACK the gap is declared when the stream closes', () => {
    const { compact: events } = run(segments.filter((s) => s.packetIndex !== 11));
    expect(events.slice(-3)).toEqual([
      ['gap', 0, 'client', o4, m4.length, 13],
      ['data', 0, 'client', o5, m5, 10],
      ['close', 0, 'fin', 13],
    ]);
  });
});

describe('stream lifecycle', () => {
  const handshake = (p: ReturnType<typeof capture>, cisn: number, sisn: number) => [
    p('c', cisn, 0, SYN),
    p('s', sisn, cisn + 1, SYN | ACK),
    p('c', cisn + 1, sisn + 1, ACK),
  ];

  it('keeps request and response order across directions', () => {
    const p = capture();
    const { compact: events } = run([
      ...handshake(p, 100, 500),
      p('c', 101, 501, PSH | ACK, 'LOGIN'),
      p('s', 501, 106, PSH | ACK, 'OK'),
      p('c', 106, 503, PSH | ACK, 'POS1'),
      p('s', 503, 110, PSH | ACK, 'ACK1'),
    ]);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'client', 0, 'LOGIN', 3],
      ['data', 0, 'server', 0, 'OK', 4],
      ['data', 0, 'client', 5, 'POS1', 5],
      ['data', 0, 'server', 2, 'ACK1', 6],
      ['close', 0, 'end-of-capture', 6],
    ]);
  });

  it('emits in-order payloads as the very views it was given', () => {
    const p = capture();
    const segment = p('c', 7, 0, PSH | ACK, 'view');
    const events = new TcpReassembler().push(segment);
    expect(events[1]).toMatchObject({ kind: 'data' });
    expect(events[1]!.kind === 'data' && events[1]!.bytes).toBe(segment.payload);
  });

  it('copies bytes it buffers, so the caller may reuse the buffer', () => {
    const p = capture();
    const r = new TcpReassembler();
    r.push(p('c', 1000, 0, ACK));
    const later = p('c', 1004, 0, PSH | ACK, 'BBBB');
    r.push(later);
    later.payload.fill(0x3f);
    const events = r.push(p('c', 1000, 0, PSH | ACK, 'AAAA'));
    expect(events.map(compact)).toEqual([
      ['data', 0, 'client', 0, 'AAAA', 2],
      ['data', 0, 'client', 4, 'BBBB', 1],
    ]);
  });

  it('FIN from both sides closes; later packets of the stream are ignored', () => {
    const p = capture();
    const r = new TcpReassembler();
    const events = [
      ...handshake(p, 1, 1),
      p('c', 2, 2, PSH | ACK, 'bye'),
      p('c', 5, 2, FIN | ACK),
      p('s', 2, 6, FIN | ACK),
      p('c', 6, 3, ACK),
      p('c', 2, 3, PSH | ACK, 'bye'),
    ].flatMap((s) => r.push(s));
    expect(events.map(compact)).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'client', 0, 'bye', 3],
      ['close', 0, 'fin', 5],
    ]);
    expect(r.end()).toEqual([]);
    expect(r.stats.afterClose).toBe(1);
    expect(r.openStreams).toBe(0);
  });

  it('a half-closed stream still carries the other direction', () => {
    const p = capture();
    const { compact: events } = run([
      ...handshake(p, 1, 1),
      p('c', 2, 2, FIN | ACK),
      p('s', 2, 3, PSH | ACK, 'late reply'),
      p('c', 3, 12, ACK),
    ]);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'server', 0, 'late reply', 4],
      ['close', 0, 'end-of-capture', 5],
    ]);
  });

  it('RST closes the stream and declares what is still missing', () => {
    const p = capture();
    const { compact: events, stats } = run([
      ...handshake(p, 1, 1),
      p('c', 2, 2, PSH | ACK, 'one'),
      p('c', 8, 2, PSH | ACK, 'three'),
      p('s', 2, 5, RST | ACK),
      p('c', 13, 2, PSH | ACK, 'after'),
    ]);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'client', 0, 'one', 3],
      ['gap', 0, 'client', 3, 3, 5],
      ['data', 0, 'client', 6, 'three', 4],
      ['close', 0, 'rst', 5],
    ]);
    expect(stats.afterClose).toBe(1);
  });

  it('a SYN on a closed 4-tuple starts a new stream with a new number (port reuse)', () => {
    const p = capture();
    const { compact: events } = run([
      ...handshake(p, 1000, 5000),
      p('c', 1001, 5001, PSH | ACK, 'first'),
      p('c', 1006, 5001, RST),
      ...handshake(p, 900000, 7000),
      p('c', 900001, 7001, PSH | ACK, 'second'),
    ]);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'client', 0, 'first', 3],
      ['close', 0, 'rst', 4],
      ['open', 1, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 5],
      ['data', 1, 'client', 0, 'second', 8],
      ['close', 1, 'end-of-capture', 8],
    ]);
  });

  it('a SYN with a far-away ISN on an open 4-tuple ends the old stream as reused', () => {
    const p = capture();
    const { compact: events, stats } = run([
      ...handshake(p, 1000, 5000),
      p('c', 1001, 5001, PSH | ACK, 'first'),
      p('c', 1000, 0, SYN), // retransmitted SYN: same ISN, same stream
      p('c', 0x80000000, 0, SYN),
      p('s', 123, 0x80000001, SYN | ACK),
    ]);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'client', 0, 'first', 3],
      ['close', 0, 'reused', 5],
      ['open', 1, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 5],
      ['close', 1, 'end-of-capture', 6],
    ]);
    expect(stats.reusedPorts).toBe(1);
  });

  it('SYN and FIN each take one sequence number, and the ISN 0xFFFFFFF0 wraps', () => {
    const p = capture();
    const { compact: events } = run([
      p('c', 0xffffffff, 0, SYN),
      p('c', 0, 0, PSH | ACK, 'ab'),
      p('c', 2, 0, FIN | ACK, 'cd'),
      p('s', 9, 5, FIN | ACK),
    ]);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'client', 0, 'ab', 1],
      ['data', 0, 'client', 2, 'cd', 2],
      ['close', 0, 'fin', 3],
    ]);
  });

  it('keeps counting offsets past 4 GiB of one direction', () => {
    const p = capture();
    // No history: copying 4 GiB into it would only slow the test down.
    const r = new TcpReassembler({ historyBytes: 0 });
    r.push(p('c', 10, 0, ACK));
    const chunk = new Uint8Array(0x10000);
    let last: StreamEvent[] = [];
    for (let i = 0; i < 0x10001; i++) last = r.push(p('c', 10 + i * 0x10000, 0, ACK, chunk));
    expect(last.map((e) => [e.kind, e.kind === 'data' && e.offset])).toEqual([['data', 2 ** 32]]);
  });
});

describe('mid-stream starts', () => {
  it('without a SYN the lower port is the server, and the stream says it guessed', () => {
    const p = capture({ address: '10.0.0.2', port: 40000 }, { address: '192.0.2.10', port: 5013 });
    const { compact: events } = run([p('s', 777, 555, PSH | ACK, 'cmd'), p('c', 555, 780, PSH | ACK, 'rsp')]);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'mid-stream', 0],
      ['data', 0, 'server', 0, 'cmd', 0],
      ['data', 0, 'client', 0, 'rsp', 1],
      ['close', 0, 'end-of-capture', 1],
    ]);
  });

  it('an endpoint a SYN went to earlier is the server, whatever the ports say', () => {
    const device = { address: '10.0.0.3', port: 1200 };
    const server = { address: '192.0.2.10', port: 5013 };
    const first = capture({ address: '10.0.0.2', port: 40000 }, server);
    const second = capture(device, server);
    const r = new TcpReassembler();
    r.push(first('c', 1, 0, SYN));
    const events = r.push({ ...second('c', 50, 60, PSH | ACK, 'x'), packetIndex: 1 });
    expect(events.map(compact)[0]).toEqual(['open', 1, '10.0.0.3:1200', '192.0.2.10:5013', 'mid-stream', 1]);
  });

  it('an endpoint guessed to be a server stays one for later streams', () => {
    const server = { address: '192.0.2.10', port: 5013 };
    const r = new TcpReassembler();
    r.push(capture({ address: '10.0.0.2', port: 40000 }, server)('c', 1, 1, ACK));
    const events = r.push(capture({ address: '10.0.0.3', port: 1200 }, server)('s', 9, 9, ACK));
    expect(events.map(compact)[0]).toEqual(['open', 1, '10.0.0.3:1200', '192.0.2.10:5013', 'mid-stream', 0]);
  });

  it('with equal ports the receiver of the first packet is the server', () => {
    const p = capture({ address: '10.0.0.2', port: 7000 }, { address: '10.0.0.1', port: 7000 });
    expect(run([p('s', 1, 1, ACK)]).compact[0]).toEqual([
      'open',
      0,
      '10.0.0.1:7000',
      '10.0.0.2:7000',
      'mid-stream',
      0,
    ]);
  });

  it('the SYN-ACK names the client ISN when the SYN was not captured', () => {
    const p = capture();
    const { compact: events } = run([
      p('s', 300, 1001, SYN | ACK),
      p('c', 1004, 301, PSH | ACK, 'later'),
      p('c', 1001, 301, PSH | ACK, 'abc'),
    ]);
    expect(events).toEqual([
      ['open', 0, '10.0.0.2:40000', '192.0.2.10:5013', 'syn', 0],
      ['data', 0, 'client', 0, 'abc', 2],
      ['data', 0, 'client', 3, 'later', 1],
      ['close', 0, 'end-of-capture', 2],
    ]);
  });

  it('bytes from before the first segment seen cannot be placed and are counted', () => {
    const p = capture();
    const { compact: events, stats } = run([
      p('c', 1010, 0, PSH | ACK, 'second'),
      p('c', 1004, 0, ACK, 'first'),
    ]);
    expect(events.filter((e) => e[0] === 'data')).toEqual([['data', 0, 'client', 0, 'second', 0]]);
    expect(stats.uncheckedBytes).toBe(5);
  });
});

describe('keep-alives, holes, caps', () => {
  it('keep-alives (0 or 1 byte at seq-1) are not data, even with a junk byte', () => {
    const p = capture();
    const { compact: events, stats } = run([
      p('c', 100, 1, PSH | ACK, 'hello'),
      p('c', 104, 1, ACK),
      p('c', 104, 1, ACK, '\x00'),
      p('c', 105, 1, PSH | ACK, 'more'),
    ]);
    expect(events.filter((e) => e[0] !== 'open' && e[0] !== 'close')).toEqual([
      ['data', 0, 'client', 0, 'hello', 0],
      ['data', 0, 'client', 5, 'more', 3],
    ]);
    expect(stats.keepalives).toBe(2);
    expect(stats.conflicts).toBe(0);
  });

  it('an ACK ahead of the data (a reordered capture) does not invent a gap', () => {
    const p = capture();
    const { compact: events } = run([
      p('c', 100, 1, PSH | ACK, 'abc'),
      p('s', 1, 106, ACK),
      p('c', 103, 1, PSH | ACK, 'def'),
    ]);
    expect(events.filter((e) => e[0] === 'gap')).toEqual([]);
    expect(events.filter((e) => e[0] === 'data').map((e) => e[4])).toEqual(['abc', 'def']);
  });

  it('acknowledged bytes that were never captured are a gap at the end', () => {
    const p = capture();
    const { compact: events } = run([p('c', 100, 1, PSH | ACK, 'abc'), p('s', 1, 110, ACK)]);
    expect(events.slice(-2)).toEqual([
      ['gap', 0, 'client', 3, 7, 1],
      ['close', 0, 'end-of-capture', 1],
    ]);
  });

  it('an ACK too far ahead to be real is ignored', () => {
    const p = capture();
    const { compact: events } = run([
      p('c', 100, 1, PSH | ACK, 'abc'),
      p('c', 110, 1, PSH | ACK, 'xyz'),
      p('s', 1, 100 + 2 ** 31, ACK),
      p('c', 103, 1, PSH | ACK, '1234567'),
    ]);
    expect(events.filter((e) => e[0] === 'gap')).toEqual([]);
  });

  it('more than maxBufferedBytes behind a hole: the hole becomes a gap and the stream goes on', () => {
    const p = capture();
    const { compact: events, stats } = run(
      [
        p('c', 100, 1, PSH | ACK, 'aaaa'),
        p('c', 108, 1, PSH | ACK, 'cccc'),
        p('c', 112, 1, PSH | ACK, 'dddd'),
        p('c', 116, 1, PSH | ACK, 'eeee'),
        p('c', 104, 1, PSH | ACK, 'bbbb'),
      ],
      { maxBufferedBytes: 10 },
    );
    expect(events.slice(1, -1)).toEqual([
      ['data', 0, 'client', 0, 'aaaa', 0],
      ['gap', 0, 'client', 4, 4, 3],
      ['data', 0, 'client', 8, 'cccc', 1],
      ['data', 0, 'client', 12, 'dddd', 2],
      ['data', 0, 'client', 16, 'eeee', 3],
    ]);
    // The late segment falls inside the declared gap: too late, and nothing to compare it with.
    expect(stats.uncheckedBytes).toBe(4);
  });

  it('partial overlaps: new bytes are taken, overlapping ones compared, first copy wins', () => {
    const p = capture();
    const { compact: events } = run([
      p('c', 100, 1, PSH | ACK, 'abcdef'),
      p('c', 110, 1, PSH | ACK, 'klmn'),
      p('c', 104, 1, PSH | ACK, 'eXghijkLmnop'),
    ]);
    expect(events.slice(1, -1)).toEqual([
      ['data', 0, 'client', 0, 'abcdef', 0],
      ['conflict', 0, 'client', 4, 'ef', 'eX', 2],
      ['conflict', 0, 'client', 10, 'klmn', 'kLmn', 2],
      ['data', 0, 'client', 6, 'ghij', 2],
      ['data', 0, 'client', 10, 'klmn', 1],
      ['data', 0, 'client', 14, 'op', 2],
    ]);
  });

  it('with historyBytes 0 delivered bytes are not kept, so a changed retransmission goes unnoticed', () => {
    const p = capture();
    const segments = [p('c', 100, 1, PSH | ACK, 'abc'), p('c', 100, 1, PSH | ACK, 'abX')];
    expect(run(segments).stats.conflicts).toBe(1);
    const { stats } = run(segments, { historyBytes: 0 });
    expect(stats).toMatchObject({ conflicts: 0, uncheckedBytes: 3, retransmissions: 1 });
  });

  it('retransmissions of bytes older than the history are counted as unchecked', () => {
    const p = capture();
    const segments = [
      p('c', 0, 1, PSH | ACK, 'a'.repeat(1000)),
      ...Array.from({ length: 1100 }, (_, i) => p('c', 1000 + i * 10, 1, PSH | ACK, 'b'.repeat(10))),
      p('c', 0, 1, PSH | ACK, 'X'.repeat(1000)),
    ];
    const { stats } = run(segments, { historyBytes: 4096 });
    expect(stats).toMatchObject({ conflicts: 0, uncheckedBytes: 1000 });
  });
});

describe('properties', () => {
  /** A byte stream and the cut points of its segments. */
  const streamArb = fc
    .uint8Array({ minLength: 1, maxLength: 2000 })
    .chain((data) =>
      fc
        .uniqueArray(fc.integer({ min: 1, max: Math.max(1, data.length - 1) }), { maxLength: 40 })
        .map((cuts) => ({ data, cuts: [...new Set([0, ...cuts, data.length])].sort((a, b) => a - b) })),
    )
    .map(({ data, cuts }) =>
      cuts.slice(0, -1).map((from, i) => ({ offset: from, bytes: data.subarray(from, cuts[i + 1]) })),
    );
  const isnArb = fc.oneof(fc.integer({ min: 0xffffff00, max: 0xffffffff }), fc.nat({ max: 0xffffffff }));

  /** Delivery order: each segment moves back by up to `spread` places. */
  const shuffle = <T>(items: readonly T[], jitter: readonly number[]): T[] =>
    items
      .map((item, i) => ({ item, key: i + (jitter[i % jitter.length] ?? 0) }))
      .sort((a, b) => a.key - b.key)
      .map(({ item }) => item);

  const toSegments = (
    isn: number,
    pieces: readonly { offset: number; bytes: Uint8Array }[],
    p: ReturnType<typeof capture>,
  ) => pieces.map((piece) => p('c', isn + 1 + piece.offset, 1, PSH | ACK, piece.bytes));

  const clientBytes = (events: StreamEvent[]) => {
    const parts = events.filter((e) => e.kind === 'data' && e.from === 'client');
    return Buffer.concat(parts.map((e) => (e.kind === 'data' ? e.bytes : new Uint8Array())));
  };

  it('reordered and duplicated segments reassemble to exactly the original bytes', () => {
    fc.assert(
      fc.property(
        streamArb,
        isnArb,
        fc.array(fc.double({ min: 0, max: 8, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (pieces, isn, jitter, duplicates) => {
          const p = capture();
          const syn = p('c', isn, 0, SYN);
          const data = toSegments(isn, pieces, p);
          const dupes = duplicates.map((d) => ({ ...data[d % data.length]! }));
          const { events, stats } = run([syn, ...shuffle([...data, ...dupes], jitter)]);
          const original = Buffer.concat(pieces.map((x) => x.bytes));
          expect(clientBytes(events).equals(original)).toBe(true);
          expect(events.filter((e) => e.kind === 'gap' || e.kind === 'conflict')).toEqual([]);
          expect(stats.conflicts + stats.gaps).toBe(0);
        },
      ),
    );
  });

  it('a lost segment is exactly one gap of its length at its offset, and nothing else is lost', () => {
    fc.assert(
      fc.property(
        streamArb.filter((pieces) => pieces.length >= 2),
        isnArb,
        fc.nat(),
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (pieces, isn, lostIndex, jitter) => {
          const p = capture();
          const lost = lostIndex % pieces.length;
          const total = pieces.reduce((n, x) => n + x.bytes.length, 0);
          const data = toSegments(isn, pieces, p).filter((_, i) => i !== lost);
          const fin = p('c', isn + 1 + total, 1, FIN | ACK);
          const { events } = run([p('c', isn, 0, SYN), ...shuffle(data, jitter), fin]);
          const gaps = events.filter((e) => e.kind === 'gap');
          expect(gaps.map((g) => g.kind === 'gap' && [g.offset, g.length])).toEqual([
            [pieces[lost]!.offset, pieces[lost]!.bytes.length],
          ]);
          const expected = Buffer.concat(pieces.filter((_, i) => i !== lost).map((x) => x.bytes));
          expect(clientBytes(events).equals(expected)).toBe(true);
        },
      ),
    );
  });

  it('a copy with changed bytes is one conflict carrying both versions; the first copy is delivered', () => {
    fc.assert(
      fc.property(
        streamArb,
        isnArb,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.nat(),
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (pieces, isn, which, where, flip, position, jitter) => {
          // One byte just before the next expected one is a keep-alive, whatever it holds.
          const candidates = pieces.flatMap((x, i) => (x.bytes.length >= 2 ? [i] : []));
          fc.pre(candidates.length > 0);
          const p = capture();
          const k = candidates[which % candidates.length]!;
          const original = pieces[k]!.bytes;
          const changed = Uint8Array.from(original);
          const at = where % changed.length;
          changed[at] = changed[at]! ^ flip;
          const data = toSegments(isn, pieces, p);
          const ordered = shuffle(data, jitter);
          const copy = p('c', isn + 1 + pieces[k]!.offset, 1, PSH | ACK, changed);
          ordered.splice(position % (ordered.length + 1), 0, copy);
          const { events } = run([p('c', isn, 0, SYN), ...ordered]);
          const firstIsCopy = ordered.indexOf(copy) < ordered.indexOf(data[k]!);
          const [kept, discarded] = firstIsCopy ? [changed, original] : [original, changed];
          const conflicts = events.filter((e) => e.kind === 'conflict');
          expect(
            conflicts.map((c) => c.kind === 'conflict' && [c.offset, latin1(c.kept), latin1(c.discarded)]),
          ).toEqual([[pieces[k]!.offset, latin1(kept), latin1(discarded)]]);
          const expected = Buffer.concat(pieces.map((x, i) => (i === k ? kept : x.bytes)));
          expect(clientBytes(events).equals(expected)).toBe(true);
        },
      ),
    );
  });

  it('never throws on arbitrary segments, and every direction is a seamless run of data and gaps', () => {
    const endpoint = fc.constantFrom(
      { address: '10.0.0.1', port: 5013 },
      { address: '10.0.0.2', port: 40000 },
      { address: '10.0.0.2', port: 40001 },
    );
    const segmentArb = fc.record({
      a: endpoint,
      b: endpoint,
      seq: fc.oneof(fc.integer({ min: 0xfffffff0, max: 0xffffffff }), fc.integer({ min: 0, max: 64 })),
      ack: fc.oneof(fc.integer({ min: 0xfffffff0, max: 0xffffffff }), fc.integer({ min: 0, max: 64 })),
      flags: fc.nat({ max: 0x1ff }),
      payload: fc.uint8Array({ maxLength: 24 }),
      seconds: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(
        fc.array(segmentArb, { maxLength: 60 }),
        fc.record({
          maxBufferedBytes: fc.integer({ min: 0, max: 64 }),
          historyBytes: fc.constantFrom(0, 16, 4096),
          forgetClosedAfter: fc.constantFrom(0, 10, 240),
        }),
        (raw, options) => {
          const r = new TcpReassembler(options);
          const events = raw.flatMap((s, i) =>
            r.push({
              packetIndex: i,
              seconds: s.seconds,
              nanos: 0,
              src: s.a.address,
              dst: s.b.address,
              srcPort: s.a.port,
              dstPort: s.b.port,
              seq: s.seq,
              ack: s.ack,
              flags: s.flags,
              payload: s.payload,
            }),
          );
          events.push(...r.end());
          const next = new Map<string, number>();
          const opened = new Set<number>();
          const closed = new Set<number>();
          for (const e of events) {
            if (e.kind === 'open') {
              expect(opened.has(e.stream)).toBe(false);
              opened.add(e.stream);
              continue;
            }
            expect(opened.has(e.stream) && !closed.has(e.stream)).toBe(true);
            if (e.kind === 'close') {
              closed.add(e.stream);
              continue;
            }
            if (e.kind === 'conflict') {
              expect(e.kept.length).toBe(e.discarded.length);
              expect(latin1(e.kept)).not.toBe(latin1(e.discarded));
              continue;
            }
            const key = `${e.stream} ${e.from}`;
            expect(e.offset).toBe(next.get(key) ?? 0);
            const length = e.kind === 'data' ? e.bytes.length : e.length;
            expect(length).toBeGreaterThan(0);
            next.set(key, e.offset + length);
          }
          expect(closed.size).toBe(opened.size);
          expect(r.openStreams).toBe(0);
        },
      ),
    );
  });
});
