// `trackshark fuzz`: seeds from the protocols' schemas and from captures or logs, then the engine
// against trackshark's own decoders or a live server; findings written as JSON and pcapng, a
// progress line on a terminal, a summary at the end. Exit status 1 when anything was found.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { toHex } from '../decode/index.js';
import { FuzzEngine, schemaHash } from './engine.js';
import { findingPcapng, mutationRecords, type FindingFile } from './finding.js';
import { parseTarget, targetAllowed, type LiveTarget } from './live.js';
import { serverLogWatcher } from './oracles.js';
import {
  measureBaseline,
  runInProcess,
  runLive,
  type Progress,
  type RawFinding,
  type RunResult,
  type Session,
} from './run.js';
import { schemaSeeds, seedFromFrame, type Seed } from './seeds.js';
import { SESSIONS } from './sessions.js';
import { segmentsOf } from './delivery.js';
import type { Direction, FrameType, Protocol } from '../schema/index.js';

/** A frame cut out of a capture or log, to become a seed. */
export interface SourceFrame {
  readonly protocol: Protocol;
  readonly frameType: FrameType;
  readonly bytes: Uint8Array;
  readonly direction: Direction | undefined;
  /** `file:line` or `file:@offset`. */
  readonly id: string;
}

export interface FuzzOptions {
  /** The protocols to fuzz (the caller resolves names). */
  readonly protocols: readonly Protocol[];
  /** Frames of the captures and logs given as seed files (read by the caller). */
  readonly sourceFrames?: () => Promise<readonly SourceFrame[]>;
  /** `host:port` of a live server; in-process when absent. */
  readonly target?: string;
  readonly udp?: boolean;
  readonly allowHosts?: readonly string[];
  readonly session?: string;
  readonly seed: number;
  readonly cases: number;
  readonly start?: number;
  readonly durationS?: number;
  readonly schemaSeeds?: boolean;
  readonly badDerivedShare?: number;
  readonly out: string;
  readonly serverLog?: string;
  readonly logPattern?: string;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly minimise?: boolean;
  readonly quiet?: boolean;
}

export interface Io {
  readonly stdout: Writable;
  readonly stderr: Writable & { readonly isTTY?: boolean };
}

export class FuzzArgumentError extends Error {}

/** trackshark's version, from the package it runs from. */
function tracksharkVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

function progressLine(io: Io, quiet: boolean | undefined) {
  const tty = io.stderr.isTTY === true && !quiet;
  let shown = false;
  return {
    update: (p: Progress) => {
      if (!tty) return;
      shown = true;
      const rate = p.elapsedMs > 0 ? Math.round((p.cases * 1000) / p.elapsedMs) : 0;
      io.stderr.write(
        `\r\x1b[Kfuzz: ${p.cases} cases, ${rate} cases/s, ${p.findings} findings, ${seconds(p.elapsedMs)} s`,
      );
    },
    clear: () => {
      if (shown) io.stderr.write('\r\x1b[K');
    },
  };
}

function slug(signature: string): string {
  return signature
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48)
    .toLowerCase();
}

interface FindingContext {
  readonly version: string;
  readonly hash: string;
  readonly seed: number;
  readonly target: string;
  readonly probe?: Uint8Array;
  readonly timing?: { settleMs: number; timeoutMs: number };
}

function findingFile(f: RawFinding, ctx: FindingContext): FindingFile {
  const c = f.fuzzCase;
  const b = f.best;
  const original = c.frame.length;
  return {
    format: 'trackshark-fuzz-finding/1',
    signature: f.signature,
    detail: f.detail,
    trackshark: ctx.version,
    schemaHash: ctx.hash,
    seed: ctx.seed,
    index: c.index,
    target: ctx.target,
    protocol: c.seed.protocol.name,
    frameType: c.seed.frameType.name,
    ...(c.seed.direction ? { direction: c.seed.direction } : {}),
    seedFrame: { id: c.seed.id, hex: toHex(c.seed.bytes) },
    mutations: mutationRecords(b.mutations),
    derived: b.derived,
    session: b.prefix.map((p) => toHex(p)),
    segments: segmentsOf(b.delivery).map((s) => toHex(s)),
    garbage: toHex(b.delivery.garbage),
    frames: b.delivery.frames.map((s) => toHex(s)),
    targetFrame: b.delivery.target,
    ...(ctx.probe ? { probe: toHex(ctx.probe) } : {}),
    ...(ctx.timing ? { timing: ctx.timing } : {}),
    ...(f.minimised
      ? {
          minimised: {
            tries: f.minimised.tries,
            steps: f.minimised.steps,
            from: original,
            to: b.delivery.frames[b.delivery.target]!.length,
          },
        }
      : {}),
    ...(f.outcome
      ? {
          observed: {
            outcome: f.outcome.kind,
            phase: f.outcome.phase,
            replies: f.outcome.replies.map((r) => toHex(r)),
          },
        }
      : {}),
  };
}

function writeFindings(result: RunResult, ctx: FindingContext, out: string, port: number): string[] {
  if (result.findings.length === 0) return [];
  mkdirSync(out, { recursive: true });
  return result.findings.map((f, i) => {
    const file = findingFile(f, ctx);
    const base = join(out, `finding-${ctx.seed}-${f.fuzzCase.index}-${slug(f.signature) || i}`);
    writeFileSync(`${base}.json`, `${JSON.stringify(file, null, 2)}\n`);
    writeFileSync(`${base}.pcapng`, findingPcapng(file, port));
    return `${base}.json`;
  });
}

function summary(io: Io, result: RunResult, written: readonly string[], extra: readonly string[]): void {
  const rate = result.elapsedMs > 0 ? Math.round((result.cases * 1000) / result.elapsedMs) : result.cases;
  const lines = [
    `fuzz: ${result.cases} cases in ${seconds(result.elapsedMs)} s (${rate} cases/s), ${result.findings.length} findings`,
    ...extra,
    ...(result.stopped ? [`stopped: ${result.stopped}`] : []),
  ];
  for (const f of result.findings)
    lines.push(
      `  ${f.signature} (${result.hits.get(f.signature)} cases, first: case ${f.fuzzCase.index}, ${f.fuzzCase.seed.protocol.name}): ${f.detail}`,
    );
  for (const w of written) lines.push(`  written: ${w} (+ .pcapng)`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** A live target from `host:port`, loopback unless `--allow-host` names it; `purpose` ends the refusal. */
export function checkedTarget(
  spec: string,
  transport: LiveTarget['transport'],
  allowHosts: readonly string[] | undefined,
  purpose: string,
): LiveTarget {
  const t = parseTarget(spec, transport);
  if (!t) throw new FuzzArgumentError(`--target must be host:port, got '${spec}'`);
  if (!targetAllowed(t.host, allowHosts ?? []))
    throw new FuzzArgumentError(`${t.host} is not a loopback address; name it with --allow-host ${purpose}`);
  return t;
}

export async function runFuzz(opts: FuzzOptions, io: Io): Promise<number> {
  const protocols = opts.protocols;
  const live = opts.target !== undefined;
  const target = live
    ? checkedTarget(opts.target!, opts.udp ? 'udp' : 'tcp', opts.allowHosts, 'to fuzz it')
    : undefined;
  const named = opts.session ? SESSIONS.find((s) => s.name === opts.session) : undefined;
  if (opts.session && !named)
    throw new FuzzArgumentError(
      `unknown session '${opts.session}' (known: ${SESSIONS.map((s) => s.name).join(', ')})`,
    );
  const seeds: Seed[] = [];
  if (opts.schemaSeeds !== false)
    for (const p of protocols)
      seeds.push(...schemaSeeds(p, { seed: opts.seed, ...(live ? { direction: 'uplink' as const } : {}) }));
  for (const f of (await opts.sourceFrames?.()) ?? []) {
    const seed = seedFromFrame(f.protocol, f.frameType, f.bytes, f.id, f.direction);
    if (seed && (!live || seed.direction !== 'downlink')) seeds.push(seed);
  }
  if (seeds.length === 0)
    throw new FuzzArgumentError(
      'no seed frames: give --seeds files with valid frames of the chosen protocols',
    );
  const ctxBase = { version: tracksharkVersion(), hash: schemaHash(protocols), seed: opts.seed };
  const progress = progressLine(io, opts.quiet);
  const limits = {
    cases: opts.cases,
    ...(opts.start !== undefined ? { start: opts.start } : {}),
    ...(opts.durationS !== undefined ? { durationMs: opts.durationS * 1000 } : {}),
    onProgress: progress.update,
  };

  if (!target) {
    const result = await runInProcess(new FuzzEngine(seeds, { seed: opts.seed, ...share(opts) }), limits);
    progress.clear();
    const written = writeFindings(result, { ...ctxBase, target: 'in-process' }, opts.out, 5000);
    if (!opts.quiet)
      summary(io, result, written, [
        `seeds: ${seeds.length} frames of ${protocols.map((p) => p.name).join(', ')}`,
      ]);
    return result.findings.length > 0 ? 1 : 0;
  }

  const session: Session = named ?? { prefix: [] };
  const baseline = await measureBaseline(
    target,
    session,
    seeds,
    opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {},
  );
  if (baseline.seeds.length === 0)
    throw new FuzzArgumentError('the target closed the connection on every valid seed frame');
  const timing =
    opts.timeoutMs !== undefined ? { ...baseline.timing, timeoutMs: opts.timeoutMs } : baseline.timing;
  const log = serverLogWatcher(opts);
  const probe = baseline.probe;
  const result = await runLive(new FuzzEngine(baseline.seeds, { seed: opts.seed, ...share(opts) }), {
    ...limits,
    target,
    session: { prefix: session.prefix, ...(probe ? { probe } : {}) },
    timing,
    concurrency: opts.concurrency ?? 2,
    ...(log ? { log } : {}),
    minimise: opts.minimise !== false,
  });
  progress.clear();
  const targetName = `${target.transport}://${target.host}:${target.port}`;
  const written = writeFindings(
    result,
    { ...ctxBase, target: targetName, ...(probe ? { probe } : {}), timing },
    opts.out,
    target.port,
  );
  if (!opts.quiet)
    summary(io, result, written, [
      `target: ${targetName}; ${baseline.seeds.length} seed frames; baseline round trip p95 ${Math.max(0, ...baseline.rttsMs)} ms max, timeout ${timing.timeoutMs} ms${probe ? '' : '; no frame the server answers, so no probe'}`,
      ...baseline.rejected.map(
        (r) => `  seed ${r.seed.id} is valid but the server ${r.outcome.kind} the connection: not fuzzed`,
      ),
    ]);
  return result.findings.length > 0 ? 1 : 0;
}

const share = (opts: FuzzOptions) =>
  opts.badDerivedShare !== undefined ? { badDerivedShare: opts.badDerivedShare } : {};
