// Conversations by 4-tuple, shared by the TCP reassembler and UDP. The table is nested maps (source
// address, destination address, port pair) instead of one map keyed by a joined string: joining would
// build and hash a new string for every packet, while the address strings that decodePacket hands out
// are reused and keep their hash.

export type Side = 'client' | 'server';

export interface Endpoint {
  address: string;
  port: number;
}

/** Values by directed 4-tuple: (a, b, 1, 2) and (b, a, 2, 1) are different keys. */
export class FlowTable<V> {
  private readonly bySource = new Map<string, Map<string, Map<number, V>>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(src: string, dst: string, srcPort: number, dstPort: number): V | undefined {
    return this.bySource
      .get(src)
      ?.get(dst)
      ?.get(srcPort * 0x10000 + dstPort);
  }

  set(src: string, dst: string, srcPort: number, dstPort: number, value: V): void {
    let byDestination = this.bySource.get(src);
    if (!byDestination) this.bySource.set(src, (byDestination = new Map()));
    let byPorts = byDestination.get(dst);
    if (!byPorts) byDestination.set(dst, (byPorts = new Map()));
    const key = srcPort * 0x10000 + dstPort;
    if (!byPorts.has(key)) this.count++;
    byPorts.set(key, value);
  }

  delete(src: string, dst: string, srcPort: number, dstPort: number): boolean {
    const byDestination = this.bySource.get(src);
    const byPorts = byDestination?.get(dst);
    if (!byDestination || !byPorts || !byPorts.delete(srcPort * 0x10000 + dstPort)) return false;
    this.count--;
    if (byPorts.size === 0) byDestination.delete(dst);
    if (byDestination.size === 0) this.bySource.delete(src);
    return true;
  }
}

export interface UdpDatagramInfo {
  /** 0-based in order of first appearance, like tshark's udp.stream. */
  stream: number;
  /** The client is the sender of the first datagram seen. */
  from: Side;
  /** This is the conversation's first datagram. */
  first: boolean;
}

interface UdpConversation {
  stream: number;
  client: Endpoint;
  server: Endpoint;
}

/**
 * UDP has no connections: a conversation is every datagram between two endpoints, and each datagram is
 * one message. Like tshark, a conversation never times out.
 */
export class UdpConversations {
  private readonly table = new FlowTable<{ conversation: UdpConversation; from: Side }>();
  private readonly list: UdpConversation[] = [];

  get count(): number {
    return this.list.length;
  }

  classify(src: string, srcPort: number, dst: string, dstPort: number): UdpDatagramInfo {
    const known = this.table.get(src, dst, srcPort, dstPort);
    if (known) return { stream: known.conversation.stream, from: known.from, first: false };
    const conversation: UdpConversation = {
      stream: this.list.length,
      client: { address: src, port: srcPort },
      server: { address: dst, port: dstPort },
    };
    this.list.push(conversation);
    this.table.set(src, dst, srcPort, dstPort, { conversation, from: 'client' });
    // A datagram to itself (same address and port) is one direction, the client's.
    if (this.table.get(dst, src, dstPort, srcPort) === undefined) {
      this.table.set(dst, src, dstPort, srcPort, { conversation, from: 'server' });
    }
    return { stream: conversation.stream, from: 'client', first: true };
  }

  /** The endpoints of a stream number returned by classify. */
  endpoints(stream: number): { client: Endpoint; server: Endpoint } | undefined {
    const conversation = this.list[stream];
    return conversation && { client: conversation.client, server: conversation.server };
  }
}
