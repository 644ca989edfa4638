// `trackshark fuzz replay <finding>`: resend exactly the finding's bytes (to its server, or through
// trackshark's own decoders for in-process findings) and, with --verify N, say how often it repeats.
import { readFileSync } from 'node:fs';
import type { FuzzCase } from './engine.js';
import { bytesOf, parseFinding, type FindingFile } from './finding.js';
import { decodeCase } from './in-process.js';
import { serverLogWatcher } from './oracles.js';
import { verifyLive } from './run.js';
import type { Protocol } from '../schema/index.js';
import { checkedTarget, FuzzArgumentError, type Io } from './command.js';

export interface ReplayOptions {
  readonly finding: string;
  /** Protocols an in-process finding may name. */
  readonly protocols: readonly Protocol[];
  readonly target?: string;
  readonly allowHosts?: readonly string[];
  readonly verify?: number;
  readonly timeoutMs?: number;
  readonly serverLog?: string;
  readonly logPattern?: string;
}

function readFinding(path: string): FindingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FuzzArgumentError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return parseFinding(text);
  } catch (e) {
    throw new FuzzArgumentError(`${path}: ${(e as Error).message}`);
  }
}

function inProcess(f: FindingFile, protocols: readonly Protocol[], times: number): number {
  const protocol = protocols.find((p) => p.name === f.protocol);
  const frameType = protocol?.frames.find((t) => t.name === f.frameType);
  if (!protocol || !frameType)
    throw new FuzzArgumentError(`the finding's protocol ${f.protocol}/${f.frameType} is unknown here`);
  const frames = f.frames.map(bytesOf);
  const segments = f.segments.map(bytesOf);
  const cuts: number[] = [];
  let at = 0;
  for (const s of segments.slice(0, -1)) cuts.push((at += s.length));
  const c: FuzzCase = {
    index: f.index,
    seed: {
      id: f.seedFrame.id,
      protocol,
      frameType,
      direction: f.direction === 'uplink' || f.direction === 'downlink' ? f.direction : undefined,
      bytes: bytesOf(f.seedFrame.hex),
      fields: [],
    },
    mutations: [],
    derived: f.derived,
    frame: frames[f.targetFrame] ?? new Uint8Array(0),
    delivery: { garbage: bytesOf(f.garbage), frames, target: f.targetFrame, cuts },
  };
  let reproduced = 0;
  for (let i = 0; i < times; i++) if (decodeCase(c)?.signature === f.signature) reproduced++;
  return reproduced;
}

/** The least time a replay waits after the case before it sends the probe. */
const REPLAY_SETTLE_MS = 100;

export async function runFuzzReplay(opts: ReplayOptions, io: Io): Promise<number> {
  const f = readFinding(opts.finding);
  const times = Math.max(1, opts.verify ?? 1);
  let reproduced: number;
  let last = '';
  if (f.target === 'in-process' && opts.target === undefined) {
    reproduced = inProcess(f, opts.protocols, times);
  } else {
    const spec = opts.target ?? f.target.replace(/^(tcp|udp):\/\//, '');
    const transport = f.target.startsWith('udp') ? 'udp' : 'tcp';
    const target = checkedTarget(spec, transport, opts.allowHosts, 'to replay to it');
    const timing = {
      // The run settled for as long as its loopback baseline allowed (5 ms and up), for speed. A replay
      // is about the server's reaction: given time, a hang-up after the case is told apart from one
      // after the probe whatever else the machine is doing.
      settleMs: Math.max(f.timing?.settleMs ?? 0, REPLAY_SETTLE_MS),
      timeoutMs: opts.timeoutMs ?? f.timing?.timeoutMs ?? 1000,
    };
    const log = serverLogWatcher(opts);
    const r = await verifyLive(
      target,
      {
        prefix: f.session.map(bytesOf),
        segments: f.segments.map(bytesOf),
        ...(f.probe ? { probe: bytesOf(f.probe) } : {}),
      },
      timing,
      f.signature,
      f.derived,
      times,
      log,
    );
    reproduced = r.reproduced;
    const o = r.outcomes.at(-1)!;
    last = ` (last: ${o.kind} in the ${o.phase} phase after ${o.ms} ms)`;
  }
  io.stdout.write(`replay: ${f.signature}: reproduced ${reproduced}/${times}${last}\n`);
  return reproduced > 0 ? 1 : 0;
}
