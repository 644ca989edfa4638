// The replay TUI under ink-testing-library with a scripted source, and the real binary in a pty.
import { spawn } from 'node:child_process';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, expect, test } from 'vitest';
import { decodeStream, fromHex } from '../../src/decode/index.js';
import { meiligao } from '../../src/protocols/index.js';
import type { Counters } from '../../src/replay/engine.js';
import type { ReplayEvent } from '../../src/replay/events.js';
import { App, type TuiSource } from '../../src/replay/tui/App.js';
import { platform, type TestPlatform } from './helpers.js';

const LOGIN = fromHex('2424001112345678901fff50006f350d0a')!;
const ANSWER = fromHex('4040001212345678901fff400001ba310d0a')!;
const HEARTBEAT = fromHex('2424001112345678901fff000171ab0d0a')!;
const frame = (b: Uint8Array) => {
  const r = decodeStream(meiligao, b)[0]!;
  return r.kind === 'frame' ? r.frame : undefined;
};

function source() {
  const listeners = new Set<(e: ReplayEvent) => void>();
  const calls: string[] = [];
  const counters: Counters = {
    sessions: 1,
    open: 1,
    done: 0,
    sent: 1,
    received: 1,
    match: 1,
    different: 0,
    missing: 0,
    unexpected: 0,
    errors: 0,
  };
  const clock = {
    speed: 1,
    paused: false,
    stepping: false,
    setSpeed(s: number) {
      calls.push(`speed ${s}`);
      this.speed = s;
    },
    pause() {
      calls.push('pause');
      this.paused = true;
    },
    resume() {
      calls.push('resume');
      this.paused = false;
    },
    step: () => calls.push('step'),
    setStepMode(on: boolean) {
      calls.push(`step mode ${on}`);
      this.stepping = on;
    },
  };
  const src: TuiSource = {
    on: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    counters,
    clock,
    stop: (r) => calls.push(`stop ${r}`),
  };
  const emit = (e: ReplayEvent) => listeners.forEach((l) => l(e));
  return { src, emit, calls };
}

const settle = () => new Promise((r) => setTimeout(r, 250));

test('sessions, timeline, decoded detail with highlighted hex, and counters', async () => {
  const { src, emit } = source();
  const ui = render(createElement(App, { source: src, done: false, onQuit: () => undefined }));
  const info = {
    id: 'S1',
    conversation: 'T1a2b3c4d',
    transport: 'tcp' as const,
    device: 0,
    deviceId: '12345678901',
    loop: 0,
  };
  emit({ type: 'open', at: 1, session: 'S1', info, local: '127.0.0.1:40000' });
  emit({ type: 'sent', at: 2, session: 'S1', bytes: LOGIN, frame: frame(LOGIN), lateMs: 0.1 });
  emit({ type: 'received', at: 40, session: 'S1', bytes: ANSWER, frame: frame(ANSWER), status: 'match' });
  await settle();
  const screen = ui.lastFrame()!;
  expect(screen).toContain('S1 1/1 tcp T1a2b3c4d 12345678901');
  expect(screen).toContain('S1 > meiligao frame/login 17 B');
  expect(screen).toContain('S1 < meiligao frame/login_response 18 B match');
  expect(screen).toContain('match 1 different 0');
  // The newest frame is selected: its fields and hex (the 0x4000 answer, result 0x01).
  expect(screen).toContain('meiligao.command = 16384');
  expect(screen).toContain('0000 40 40 00 12 12 34 56 78 90 1f ff 40 00 01 ba 31');
  ui.unmount();
});

test('keys: pause, step, speed, quit', async () => {
  const { src, calls } = source();
  let quit = 0;
  const ui = render(createElement(App, { source: src, done: false, onQuit: () => quit++ }));
  await settle();
  for (const key of [' ', ' ', 's', 's', 'r', '+', '-', 'q']) {
    ui.stdin.write(key);
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(calls).toEqual([
    'pause',
    'resume',
    'step mode true',
    'step',
    'step mode false',
    'speed 2',
    'speed 1',
  ]);
  expect(quit).toBe(1);
  ui.unmount();
});

test('c and C select a conversation; the timeline and detail narrow to it, or back to all', async () => {
  const { src, emit } = source();
  const ui = render(createElement(App, { source: src, done: false, onQuit: () => undefined }));
  const info = (id: string, conversation: string, deviceId: string) => ({
    id,
    conversation,
    transport: 'tcp' as const,
    device: 0,
    deviceId,
    loop: 0,
  });
  emit({ type: 'open', at: 1, session: 'S1', info: info('S1', 'T1a2b3c4d', '12345678901'), local: 'l:1' });
  emit({ type: 'sent', at: 2, session: 'S1', bytes: LOGIN, frame: frame(LOGIN), lateMs: 0 });
  emit({ type: 'open', at: 3, session: 'S2', info: info('S2', 'T0000beef', '12345678901'), local: 'l:2' });
  emit({ type: 'sent', at: 4, session: 'S2', bytes: HEARTBEAT, frame: frame(HEARTBEAT), lateMs: 0 });
  emit({ type: 'received', at: 40, session: 'S1', bytes: ANSWER, frame: frame(ANSWER), status: 'match' });
  await settle();
  // Ink draws a key's effect on its next frame: wait for the text that says it is there (bounded).
  const press = async (key: string, drawn: string) => {
    ui.stdin.write(key);
    for (const end = Date.now() + 2000; !ui.lastFrame()!.includes(drawn) && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 10));
    return ui.lastFrame()!;
  };
  const login = 'S1 > meiligao frame/login 17 B';
  const answer = 'S1 < meiligao frame/login_response 18 B match';
  const heartbeat = 'S2 > meiligao frame/heartbeat 17 B';
  let screen = ui.lastFrame()!;
  expect(screen).toContain('c/C conversation');
  expect(screen).toContain('> all');
  expect(screen).toContain('Timeline all');
  for (const line of [login, heartbeat, answer]) expect(screen).toContain(line);

  screen = await press('c', 'Timeline S1');
  expect(screen).toContain('> S1 1/1 tcp T1a2b3c4d 12345678901');
  expect(screen).toContain('Timeline S1');
  expect(screen).toContain(login);
  expect(screen).toContain(answer);
  expect(screen).not.toContain(heartbeat);
  expect(screen).toContain('0000 40 40 00 12 12 34 56 78 90 1f ff 40 00 01 ba 31'); // newest of S1

  // Up selects within S1 only: the login before the answer.
  screen = await press('\u001b[A', '0000 24 24 00 11 12 34 56 78 90 1f ff 50');
  expect(screen).toContain('0000 24 24 00 11 12 34 56 78 90 1f ff 50 00 6f 35 0d');

  screen = await press('c', 'Timeline S2');
  expect(screen).toContain('> S2 1/0 tcp T0000beef 12345678901');
  expect(screen).toContain('Timeline S2');
  expect(screen).toContain(heartbeat);
  expect(screen).not.toContain(login);
  expect(screen).not.toContain(answer);
  expect(screen).toContain('0000 24 24 00 11 12 34 56 78 90 1f ff 00 01 71 ab 0d');

  // Past the last conversation comes "all" again; C goes backwards, from "all" to the last one.
  screen = await press('c', 'Timeline all');
  expect(screen).toContain('Timeline all');
  for (const line of [login, heartbeat, answer]) expect(screen).toContain(line);
  screen = await press('C', 'Timeline S2');
  expect(screen).toContain('Timeline S2');
  screen = await press('C', 'Timeline S1');
  expect(screen).toContain('Timeline S1');
  ui.unmount();
});

let server: TestPlatform | undefined;
afterEach(async () => {
  await server?.platform.close();
  server = undefined;
});

test('the real binary draws the TUI in a pseudo-terminal, even with CI set, and quits on q', async () => {
  server = await platform();
  const cmd = `stty cols 120 rows 40; node bin/trackshark.js replay captures/pcap/mt700-ipv4-ns-be.pcap --target ${server.target} --top`;
  const child = spawn('script', ['-qec', cmd, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // CI set, as on a CI runner: ink would otherwise draw nothing until exit.
    env: { ...process.env, CI: 'true', COLUMNS: '120', LINES: '40' },
  });
  let screen = '';
  child.stdout.on('data', (b: Buffer) => (screen += b.toString('utf8')));
  const status = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill(), 15_000);
    const poll = setInterval(() => {
      // Quit once the replay is over and its frames are drawn.
      if (screen.includes(' done ') && screen.includes('mt700 report')) {
        clearInterval(poll);
        child.stdin.write('q');
      }
    }, 50);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve(code);
    });
  });
  expect(screen).toContain('trackshark replay');
  expect(screen).toContain('mt700 report');
  expect(screen).toContain('sent 4');
  expect(status).toBe(0);
  expect(server.events.filter((e) => e.kind === 'in')).toHaveLength(4);
});
