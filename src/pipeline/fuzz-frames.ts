// The frames of captures and logs (anything `decode` reads, AT payload frames included) for
// `trackshark fuzz --seeds`: the fuzzer turns the clean ones into seeds.
import type { Direction, FrameType, Protocol } from '../schema/index.js';
import { decodeInput } from './decode-input.js';
import type { FrameRecord, TimelineRecord } from './records.js';

export interface InputFrame {
  readonly protocol: Protocol;
  readonly frameType: FrameType;
  readonly bytes: Uint8Array;
  readonly direction: Direction | undefined;
  readonly id: string;
}

function* framesOf(r: TimelineRecord): Generator<FrameRecord> {
  if (r.kind !== 'frame') return;
  yield r;
  for (const n of r.nested ?? []) yield* framesOf(n);
}

/** Every frame of the files whose protocol is among `protocols`, in input order. */
export async function inputFrames(
  files: readonly string[],
  protocols: readonly Protocol[],
): Promise<InputFrame[]> {
  const out: InputFrame[] = [];
  // Payload protocols choose a stream's protocol by content; AT lines are an input kind of their own.
  const payload = protocols.filter((p) => p.name !== 'fibocom');
  for (const file of files)
    for await (const rec of decodeInput(file, payload.length > 0 ? { protocols: payload } : {}))
      for (const r of framesOf(rec)) {
        const protocol = protocols.find((p) => p.name === r.frame.protocol);
        const frameType = protocol?.frames.find((f) => f.name === r.frame.frameType);
        if (!protocol || !frameType) continue;
        const at = r.source.line !== undefined ? `${r.source.line}` : `@${r.source.offset}`;
        out.push({
          protocol,
          frameType,
          bytes: r.bytes,
          direction: r.frame.direction ?? r.direction,
          id: `${file}:${at}`,
        });
      }
  return out;
}
