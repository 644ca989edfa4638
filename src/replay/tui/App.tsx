// The replay TUI: sessions, a live timeline of frames sent and received, the selected frame decoded
// with its hex (the selected field highlighted), counters, and keys for pause, step, speed and quit.
// `c`/`C` select a conversation (session) and narrow the timeline and detail to it, or back to all.
import { Box, Text, useApp, useInput } from 'ink';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { toHex } from '../../decode/index.js';
import type { Counters } from '../engine.js';
import {
  frameLabel,
  type FrameEvent,
  type MissingEvent,
  type ReplayEvent,
  type SessionInfo,
} from '../events.js';

/** What the TUI needs from a replay (the engine, or a stand-in in tests). */
export interface TuiSource {
  on(listener: (e: ReplayEvent) => void): () => void;
  readonly counters: Counters;
  readonly clock: {
    readonly speed: number;
    readonly paused: boolean;
    readonly stepping: boolean;
    setSpeed(s: number): void;
    pause(): void;
    resume(): void;
    step(): void;
    setStepMode(on: boolean): void;
  };
  stop(reason?: string): void;
}

type TimelineEvent = FrameEvent | MissingEvent;
const KEEP = 500;
const SHOWN = 12;
const REFRESH_MS = 100;

interface SessionRow {
  info: SessionInfo;
  sent: number;
  received: number;
  problems: number;
  state: 'open' | 'closed';
}

function applyEvents(rows: Map<string, SessionRow>, events: readonly ReplayEvent[]): Map<string, SessionRow> {
  const next = new Map(rows);
  for (const e of events) {
    if (e.type === 'open') {
      next.set(e.session, { info: e.info, sent: 0, received: 0, problems: 0, state: 'open' });
      continue;
    }
    const row = next.get(e.session);
    if (!row) continue;
    const r = { ...row };
    if (e.type === 'sent') r.sent++;
    if (e.type === 'received') r.received++;
    if (e.type === 'missing' || (e.type === 'received' && e.status !== 'match') || e.type === 'error')
      r.problems++;
    if (e.type === 'close') r.state = 'closed';
    next.set(e.session, r);
  }
  return next;
}

/** First row of a SHOWN-row window that keeps `current` in view, at the bottom when it can. */
const windowStart = (current: number, length: number) =>
  Math.max(0, Math.min(current - SHOWN + 1, length - SHOWN));

/** The next (`step` 1) or previous (-1) of [all, ...ids], wrapping; undefined is "all". */
function cycle(ids: readonly string[], current: string | undefined, step: 1 | -1): string | undefined {
  const at = current === undefined ? -1 : ids.indexOf(current);
  const next = (((at + 1 + step) % (ids.length + 1)) + ids.length + 1) % (ids.length + 1);
  return next === 0 ? undefined : ids[next - 1];
}

function statusColor(e: TimelineEvent): string {
  if (e.type === 'missing') return 'red';
  if (e.type === 'sent') return 'cyan';
  return e.status === 'match' ? 'green' : e.status === 'different' ? 'yellow' : 'magenta';
}

function timelineText(e: TimelineEvent): string {
  const t = (e.at / 1000).toFixed(3).padStart(8);
  if (e.type === 'missing')
    return `${t} ${e.session} ! missing ${frameLabel(e.expected.frame, e.expected.bytes)}`;
  const arrow = e.type === 'sent' ? '>' : '<';
  return `${t} ${e.session} ${arrow} ${frameLabel(e.frame, e.bytes)}${e.type === 'received' ? ` ${e.status}` : ''}`;
}

/** Hex rows of 16 bytes, the bytes of [start, end) shown inverted. */
function HexView({ bytes, span }: { bytes: Uint8Array; span: readonly [number, number] | undefined }) {
  const rows: ReactNode[] = [];
  for (let row = 0; row < Math.min(bytes.length, 128); row += 16) {
    const cells = Array.from(bytes.subarray(row, row + 16), (b, i) => {
      const at = row + i;
      const hit = span !== undefined && at >= span[0] && at < span[1];
      return (
        <Text key={at} inverse={hit}>
          {toHex(new Uint8Array([b]))}
          {i < 15 ? ' ' : ''}
        </Text>
      );
    });
    rows.push(
      <Text key={row}>
        {row.toString(16).padStart(4, '0')} {cells}
      </Text>,
    );
  }
  return <Box flexDirection="column">{rows}</Box>;
}

function Detail({ event, field }: { event: TimelineEvent | undefined; field: number }) {
  if (!event) return <Text dimColor>No frame selected.</Text>;
  const { bytes, frame } = event.type === 'missing' ? event.expected : event;
  const fields = (frame?.fields ?? []).filter((f) => f.value !== undefined);
  const selected = fields.length > 0 ? fields[field % fields.length] : undefined;
  const diffs = event.type === 'received' ? (event.diffs ?? []) : [];
  return (
    <Box flexDirection="column">
      <Text bold>{timelineText(event)}</Text>
      {fields.slice(0, 14).map((f) => (
        <Text key={`${f.path}@${f.start}`} inverse={f === selected}>
          {f.path} = {f.value instanceof Uint8Array ? toHex(f.value) : String(f.value)}
        </Text>
      ))}
      {diffs.slice(0, 4).map((d) => (
        <Text key={d.path} color="yellow">
          differs: {d.path} expected {d.expected ?? '(none)'} got {d.actual ?? '(none)'}
        </Text>
      ))}
      <HexView bytes={bytes} span={selected ? [selected.start, selected.end] : undefined} />
    </Box>
  );
}

export function App({ source, done, onQuit }: { source: TuiSource; done: boolean; onQuit: () => void }) {
  const { exit } = useApp();
  const [timeline, setTimeline] = useState<TimelineEvent[]>([]);
  const [sessions, setSessions] = useState<Map<string, SessionRow>>(new Map());
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [field, setField] = useState(0);
  const [conversation, setConversation] = useState<string | undefined>(undefined);
  const [, setTick] = useState(0);
  const flushRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    let pending: ReplayEvent[] = [];
    const off = source.on((e) => pending.push(e));
    const flush = () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      setSessions((rows) => applyEvents(rows, batch));
      const frames = batch.filter(
        (e): e is TimelineEvent => e.type === 'sent' || e.type === 'received' || e.type === 'missing',
      );
      if (frames.length > 0) setTimeline((t) => [...t, ...frames].slice(-KEEP));
    };
    flushRef.current = flush;
    const timer = setInterval(flush, REFRESH_MS);
    return () => {
      off();
      clearInterval(timer);
      flush();
    };
  }, [source]);

  // The last events of a replay must be on screen when it says "done", not a refresh later.
  useEffect(() => {
    if (done) flushRef.current();
  }, [done]);

  const shown = conversation === undefined ? timeline : timeline.filter((e) => e.session === conversation);
  // Ink swaps the key handler in an effect, after the frame is drawn: a key pressed in between
  // reaches the previous render's handler. It reads what it needs from here, set by every render.
  const latest = useRef({ ids: [] as string[], shown: 0 });
  latest.current = { ids: [...sessions.keys()], shown: shown.length };
  const chooseConversation = (step: 1 | -1) => {
    setConversation((c) => cycle(latest.current.ids, c, step));
    // A frame index of the old list means nothing in the new one: follow the newest frame again.
    setSelected(undefined);
    setField(0);
  };

  useInput((input, key) => {
    const clock = source.clock;
    if (input === 'q' || (key.ctrl && input === 'c')) {
      onQuit();
      exit();
      return;
    }
    if (input === ' ') {
      if (clock.paused) clock.resume();
      else clock.pause();
    } else if (input === 's') {
      if (!clock.stepping) clock.setStepMode(true);
      else clock.step();
    } else if (input === 'r') clock.setStepMode(false);
    else if (input === '+' || input === '=') clock.setSpeed(Math.min(clock.speed * 2, 1024));
    else if (input === '-') clock.setSpeed(Math.max(clock.speed / 2, 1 / 64));
    else if (input === 'c') chooseConversation(1);
    else if (input === 'C') chooseConversation(-1);
    // Unselected means the newest frame is shown, so the first up goes to the one before it.
    else if (key.upArrow) setSelected((s) => Math.max(0, (s ?? latest.current.shown - 1) - 1));
    else if (key.downArrow)
      setSelected((s) => (s === undefined || s + 1 >= latest.current.shown ? undefined : s + 1));
    else if (key.rightArrow || key.tab) setField((f) => f + 1);
    else if (key.leftArrow) setField((f) => Math.max(0, f - 1));
    setTick((t) => t + 1);
  });

  const c = source.counters;
  const clock = source.clock;
  const current = selected ?? shown.length - 1;
  const first = windowStart(current, shown.length);
  const rows = [...sessions.values()];
  const firstRow = windowStart(
    conversation === undefined ? rows.length - 1 : rows.findIndex((r) => r.info.id === conversation),
    rows.length,
  );
  const speed = Number.isFinite(clock.speed) ? `x${clock.speed}` : 'top';
  const mode = done ? 'done' : clock.paused ? 'paused' : clock.stepping ? 'step' : 'running';
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>trackshark replay</Text> {mode} speed {speed} | sessions {c.sessions} open {c.open} | sent{' '}
        {c.sent} received {c.received} | match {c.match} different {c.different} missing {c.missing}{' '}
        unexpected {c.unexpected} errors {c.errors}
      </Text>
      <Box>
        <Box flexDirection="column" width="40%" borderStyle="single" paddingX={1}>
          <Text bold>Conversations</Text>
          <Text inverse={conversation === undefined}>{conversation === undefined ? '>' : ' '} all</Text>
          {rows.slice(firstRow, firstRow + SHOWN).map((r) => (
            <Text
              key={r.info.id}
              color={r.problems > 0 ? 'yellow' : r.state === 'open' ? 'green' : undefined}
              inverse={r.info.id === conversation}
              wrap="truncate-end"
            >
              {r.info.id === conversation ? '>' : ' '} {r.info.id} {r.sent}/{r.received} {r.info.transport}{' '}
              {r.info.conversation.slice(0, 24)} {r.info.deviceId ?? ''}
            </Text>
          ))}
        </Box>
        <Box flexDirection="column" flexGrow={1} borderStyle="single" paddingX={1}>
          <Text bold>Timeline {conversation ?? 'all'}</Text>
          {shown.slice(first, first + SHOWN).map((e, i) => (
            <Text key={first + i} color={statusColor(e)} inverse={first + i === current}>
              {timelineText(e)}
            </Text>
          ))}
        </Box>
      </Box>
      <Box borderStyle="single" paddingX={1}>
        <Detail event={shown[current]} field={field} />
      </Box>
      <Text dimColor>
        space pause/resume s step r run +/- speed c/C conversation up/down frame left/right field q quit
      </Text>
    </Box>
  );
}
