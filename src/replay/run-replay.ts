// `trackshark replay` from parsed options: load the script, check the target, run the engine with the
// TUI (a terminal) or event lines (--headless, or stdout not a terminal), write the JSON summary and
// return the exit status (1: a reply was missing or different; 2: bad arguments or input).
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { InputKind } from '../capture/index.js';
import { decodeAsProtocols } from '../pipeline/run-decode.js';
import { resolveProtocol } from '../pipeline/decode-input.js';
import { InputError } from '../pipeline/records.js';
import { ReplayEngine, exitStatus, type EngineOptions, type ReplaySummary } from './engine.js';
import { eventLine } from './events.js';
import { optionFile } from './option-file.js';
import type { TlsOptions } from './link.js';
import { loadScript, type Transport } from './script.js';
import { checkTarget, parseTarget, TargetError } from './target.js';

export interface ReplayRunOptions {
  readonly input: string;
  readonly target: string;
  readonly inputKind?: InputKind;
  readonly protocol?: string;
  readonly decodeAs?: readonly string[];
  readonly transport?: Transport;
  readonly speed: number;
  readonly top: boolean;
  readonly maxGap?: number;
  readonly step: boolean;
  readonly loop: number;
  readonly loopDelay: number;
  readonly imei?: string;
  readonly devices: number;
  readonly rampUp: number;
  readonly concurrency: number;
  readonly duration: number;
  readonly replyTimeout: number;
  readonly connectTimeout: number;
  readonly tls: boolean;
  readonly insecure: boolean;
  /** PEM file of certificates to trust (--ca). */
  readonly ca?: string;
  readonly servername?: string;
  readonly allowRemote: readonly string[];
  readonly record?: string;
  readonly summary?: string;
  readonly headless: boolean;
}

export interface ReplayIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable;
  readonly stdin: NodeJS.ReadStream;
}

const LIMITS = { devices: 100_000, concurrency: 20_000 };

/** `ca`: the PEM text of --ca, read beforehand. */
function engineOptions(o: ReplayRunOptions, ca: string | undefined): EngineOptions {
  const target = parseTarget(o.target);
  checkTarget(target, o.allowRemote);
  const tlsOnly = (['ca', 'servername', 'insecure'] as const).filter(
    (k) => o[k] !== undefined && o[k] !== false,
  );
  if (!o.tls && tlsOnly.length > 0)
    throw new TargetError(`--${tlsOnly.join(', --')}: only with --tls, which the command does not have`);
  const positive = (name: string, v: number, max = Infinity) => {
    if (!(v > 0) || v > max)
      throw new TargetError(`--${name} must be above 0${Number.isFinite(max) ? ` and at most ${max}` : ''}`);
    return v;
  };
  return {
    target,
    ...(o.tls ? { tls: tlsOptions(o, ca) } : {}),
    speed: o.top ? Infinity : positive('speed', o.speed),
    step: o.step,
    loops: Math.floor(positive('loop', o.loop)),
    loopDelayMs: Math.max(0, o.loopDelay),
    devices: Math.floor(positive('devices', o.devices, LIMITS.devices)),
    ...(o.imei !== undefined ? { imei: o.imei } : {}),
    rampUp: Math.max(0, o.rampUp),
    concurrency: Math.floor(positive('concurrency', o.concurrency, LIMITS.concurrency)),
    durationMs: positive('duration', o.duration) * 1000,
    replyTimeoutMs: positive('reply-timeout', o.replyTimeout) * 1000,
    connectTimeoutMs: positive('connect-timeout', o.connectTimeout) * 1000,
    ...(o.record ? { record: o.record } : {}),
  };
}

function tlsOptions(o: ReplayRunOptions, ca: string | undefined): TlsOptions {
  return {
    insecure: o.insecure,
    ...(ca !== undefined ? { ca } : {}),
    ...(o.servername !== undefined ? { servername: o.servername } : {}),
  };
}

async function readCa(file: string): Promise<string> {
  const pem = Buffer.from(await optionFile('ca', file, TargetError)).toString('latin1');
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new TargetError(`--ca ${file}: no PEM certificate in it (-----BEGIN CERTIFICATE-----)`);
  return pem;
}

export function summaryLines(s: ReplaySummary): string[] {
  const c = s.counters;
  return [
    `replayed ${s.input} to ${s.target}: ${c.sessions} session${c.sessions === 1 ? '' : 's'}, ${c.sent} frames sent, ${c.received} received in ${(s.elapsedMs / 1000).toFixed(2)} s (${s.framesPerSecond} frames/s)`,
    `replies: ${c.match} match, ${c.different} different, ${c.missing} missing, ${c.unexpected} unexpected; errors ${c.errors}`,
    `send lateness: p50 ${s.lateness.p50.toFixed(2)} ms, p99 ${s.lateness.p99.toFixed(2)} ms, max ${s.lateness.max.toFixed(2)} ms`,
    ...(s.recording ? [`recorded ${s.recording.packets} packets to ${s.recording.file}`] : []),
    ...(s.stopped ? [`stopped early: ${s.stopped}`] : []),
  ];
}

/** Step mode without a terminal UI: each line on stdin lets the next frame go. */
function stepFromStdin(engine: ReplayEngine, stdin: NodeJS.ReadStream): () => void {
  const onData = (chunk: Buffer) => {
    for (const b of chunk) if (b === 0x0a) engine.clock.step();
  };
  stdin.on('data', onData);
  return () => {
    stdin.off('data', onData);
    stdin.pause();
  };
}

export async function runReplay(opts: ReplayRunOptions, io: ReplayIo): Promise<number> {
  let engine: ReplayEngine;
  try {
    const engineOpts = engineOptions(opts, opts.ca !== undefined ? await readCa(opts.ca) : undefined);
    resolveProtocol(opts.protocol);
    const decodeAs = decodeAsProtocols(opts.decodeAs);
    const script = await loadScript(opts.input, {
      ...(opts.inputKind ? { input: opts.inputKind } : {}),
      ...(opts.protocol ? { protocol: opts.protocol } : {}),
      ...(opts.transport ? { transport: opts.transport } : {}),
      ...(opts.maxGap !== undefined ? { maxGap: opts.maxGap } : {}),
      decodeAs,
    });
    if (!script.conversations.some((c) => c.steps.some((s) => s.direction === 'uplink')))
      throw new InputError(opts.input, undefined, 'no device frames to replay');
    engine = new ReplayEngine(script, engineOpts);
  } catch (e) {
    if (!(e instanceof InputError || e instanceof TargetError)) throw e;
    io.stderr.write(`trackshark: ${e.message}\n`);
    return 2;
  }
  const interactive = !opts.headless && io.stdout.isTTY === true && io.stdin.isTTY === true;
  let summary: ReplaySummary;
  if (interactive) {
    const { runTui } = await importTuiOnTerminal();
    summary = await runTui(engine, { stdout: io.stdout as NodeJS.WriteStream, stdin: io.stdin });
  } else {
    engine.on((e) => io.stdout.write(`${eventLine(e)}\n`));
    const stopStepping = opts.step ? stepFromStdin(engine, io.stdin) : undefined;
    const interrupt = () => engine.stop('interrupted');
    process.once('SIGINT', interrupt);
    summary = await engine.run();
    process.off('SIGINT', interrupt);
    stopStepping?.();
  }
  for (const line of summaryLines(summary)) io.stderr.write(`trackshark: ${line}\n`);
  if (opts.summary) await writeFile(opts.summary, `${JSON.stringify(summary, null, 2)}\n`);
  return exitStatus(summary);
}

/** Ink reads CI and CONTINUOUS_INTEGRATION once, when it is first imported, and with either set
 * draws only the last frame at exit: a blank screen on the terminal the user asked to watch. */
async function importTuiOnTerminal() {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await import('./tui/run-tui.js');
  } finally {
    for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
  }
}
