// Many inputs decoded on all cores: each worker thread takes the next file, and the main thread
// writes the files' output in input order, so a parallel run prints byte for byte what a
// sequential one does.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileDecodeOptions, OutputPiece } from './decode-output.js';
import type { FromWorker, ToWorker } from './decode-worker.js';

const WORKER_URL = new URL('./decode-worker.js', import.meta.url);

/** Workers run the compiled pipeline; from TypeScript sources (tests) there is nothing to start. */
export function canRunWorkers(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

interface FileState {
  readonly pieces: OutputPiece[];
  done: boolean;
  wake?: () => void;
  worker?: Worker;
}

/**
 * Output pieces of every file, in file order. At most `jobs` files are decoded at once; a worker
 * waits whenever it is a few pieces ahead of what has been written.
 */
export async function* decodeFilesInParallel(
  files: readonly string[],
  opts: FileDecodeOptions,
  jobs: number,
): AsyncGenerator<OutputPiece> {
  const states: FileState[] = files.map(() => ({ pieces: [], done: false }));
  const workers: Worker[] = [];
  let nextFile = 0;
  const send = (w: Worker, m: ToWorker) => w.postMessage(m);
  const assign = (w: Worker) => {
    if (nextFile >= files.length) return;
    const id = nextFile++;
    states[id]!.worker = w;
    send(w, { type: 'file', id, file: files[id]!, opts });
  };
  const wake = (s: FileState) => {
    const w = s.wake;
    s.wake = undefined;
    w?.();
  };
  let failure: Error | undefined;
  for (let i = 0; i < Math.min(jobs, files.length); i++) {
    const w = new Worker(WORKER_URL);
    workers.push(w);
    w.on('message', (m: FromWorker) => {
      const s = states[m.id]!;
      if (m.type === 'piece') s.pieces.push({ out: m.out, err: m.err });
      else if (m.type === 'done') {
        s.pieces.push({ status: m.status });
        s.done = true;
        assign(w);
      } else {
        failure = new Error(`decoding ${files[m.id]} failed in a worker: ${m.message}`);
        s.done = true;
      }
      wake(s);
    });
    w.on('error', (e) => {
      failure = e;
      for (const s of states) wake(s);
    });
    assign(w);
  }
  try {
    for (const s of states) {
      for (;;) {
        if (failure) throw failure;
        const piece = s.pieces.shift();
        if (piece) {
          if (!('status' in piece)) send(s.worker!, { type: 'ack' });
          yield piece;
          continue;
        }
        if (s.done) break;
        await new Promise<void>((resolve) => (s.wake = resolve));
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
