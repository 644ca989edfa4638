// UDP conversations: stream numbers by first appearance, the first sender is the client.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowTable, UdpConversations } from '../../src/capture/index.js';

describe('UdpConversations', () => {
  it('numbers conversations by first appearance and tells the direction of each datagram', () => {
    const u = new UdpConversations();
    expect(u.classify('10.0.0.2', 40000, '192.0.2.10', 20332)).toEqual({
      stream: 0,
      from: 'client',
      first: true,
    });
    expect(u.classify('192.0.2.10', 20332, '10.0.0.2', 40000)).toEqual({
      stream: 0,
      from: 'server',
      first: false,
    });
    expect(u.classify('10.0.0.3', 40000, '192.0.2.10', 20332)).toEqual({
      stream: 1,
      from: 'client',
      first: true,
    });
    expect(u.classify('10.0.0.2', 40000, '192.0.2.10', 20332)).toEqual({
      stream: 0,
      from: 'client',
      first: false,
    });
    // The server speaking first makes it the client of that conversation.
    expect(u.classify('192.0.2.10', 20332, '10.0.0.4', 1)).toEqual({
      stream: 2,
      from: 'client',
      first: true,
    });
    expect(u.count).toBe(3);
    expect(u.endpoints(2)).toEqual({
      client: { address: '192.0.2.10', port: 20332 },
      server: { address: '10.0.0.4', port: 1 },
    });
    expect(u.endpoints(3)).toBeUndefined();
  });

  it('a datagram to its own address and port is one conversation, always from the client', () => {
    const u = new UdpConversations();
    expect(u.classify('::1', 53, '::1', 53)).toEqual({ stream: 0, from: 'client', first: true });
    expect(u.classify('::1', 53, '::1', 53)).toEqual({ stream: 0, from: 'client', first: false });
  });

  it('agrees with a plain model on random traffic', () => {
    const endpoint = fc.tuple(
      fc.constantFrom('10.0.0.1', '10.0.0.2', '2001:db8::1'),
      fc.constantFrom(53, 5013, 40000),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(endpoint, endpoint), { maxLength: 80 }), (datagrams) => {
        const u = new UdpConversations();
        const model: string[] = [];
        for (const [[a, p], [b, q]] of datagrams) {
          const forward = `${a} ${p} > ${b} ${q}`;
          const backward = `${b} ${q} > ${a} ${p}`;
          let stream = model.indexOf(forward);
          let from: 'client' | 'server' = 'client';
          if (stream < 0 && model.indexOf(backward) >= 0) {
            stream = model.indexOf(backward);
            from = 'server';
          }
          const first = stream < 0;
          if (first) stream = model.push(forward) - 1;
          expect(u.classify(a, p, b, q)).toEqual({ stream, from, first });
        }
      }),
    );
  });
});

describe('FlowTable', () => {
  it('keys by directed 4-tuple, counts entries and forgets deleted ones', () => {
    const t = new FlowTable<string>();
    t.set('a', 'b', 1, 2, 'ab');
    t.set('b', 'a', 2, 1, 'ba');
    t.set('a', 'b', 1, 2, 'ab again');
    expect(t.size).toBe(2);
    expect(t.get('a', 'b', 1, 2)).toBe('ab again');
    expect(t.get('a', 'b', 2, 1)).toBeUndefined();
    expect(t.delete('a', 'b', 1, 2)).toBe(true);
    expect(t.delete('a', 'b', 1, 2)).toBe(false);
    expect(t.get('a', 'b', 1, 2)).toBeUndefined();
    expect(t.size).toBe(1);
    expect(t.get('b', 'a', 2, 1)).toBe('ba');
  });
});
