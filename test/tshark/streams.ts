// Writing a small TCP capture of client segments with trackshark's own capture writer.
import { writeFileSync } from 'node:fs';
import { PcapWriter, TcpConversationWriter } from '../../src/capture/index.js';

/** A handshake, the client sending each segment (acknowledged), and a close; Ethernet, port 40001 → 7000. */
export function writeStreamCapture(file: string, segments: readonly Uint8Array[]): void {
  const conv = new TcpConversationWriter({
    linkType: 1,
    client: { address: '10.20.30.40', port: 40001 },
    server: { address: '192.0.2.10', port: 7000 },
    startSeconds: 1704889998,
  });
  const packets = [...conv.open(), ...segments.flatMap((s) => conv.send('client', s)), ...conv.close()];
  const writer = new PcapWriter({ linkType: 1 });
  writeFileSync(file, Buffer.concat([writer.header(), ...packets.map((p) => writer.packet(p))]));
}
