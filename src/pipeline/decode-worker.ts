// Worker thread entry: decodes the files it is sent and streams their output back in pieces. It
// never has more than a few pieces unacknowledged, so a slow writer in the main thread stops the
// worker instead of letting memory grow.
import { parentPort } from 'node:worker_threads';
import { decodeFileOutput, type FileDecodeOptions } from './decode-output.js';

export type ToWorker =
  | { readonly type: 'file'; readonly id: number; readonly file: string; readonly opts: FileDecodeOptions }
  | { readonly type: 'ack' };

export type FromWorker =
  | { readonly type: 'piece'; readonly id: number; readonly out: string; readonly err: string }
  | { readonly type: 'done'; readonly id: number; readonly status: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

/** Pieces a worker may have in flight before it waits for the main thread to write one. */
export const MAX_UNACKED = 4;

const port = parentPort;
if (port) {
  let unacked = 0;
  let wake: (() => void) | undefined;
  const queue: Extract<ToWorker, { type: 'file' }>[] = [];
  let busy = false;

  const run = async (job: Extract<ToWorker, { type: 'file' }>) => {
    try {
      for await (const piece of decodeFileOutput(job.file, job.opts)) {
        if ('status' in piece) {
          port.postMessage({ type: 'done', id: job.id, status: piece.status } satisfies FromWorker);
          continue;
        }
        while (unacked >= MAX_UNACKED) await new Promise<void>((resolve) => (wake = resolve));
        unacked++;
        port.postMessage({ type: 'piece', id: job.id, out: piece.out, err: piece.err } satisfies FromWorker);
      }
    } catch (e) {
      port.postMessage({
        type: 'failed',
        id: job.id,
        message: (e as Error).stack ?? String(e),
      } satisfies FromWorker);
    }
  };

  const next = async () => {
    if (busy) return;
    busy = true;
    for (let job = queue.shift(); job; job = queue.shift()) await run(job);
    busy = false;
  };

  port.on('message', (m: ToWorker) => {
    if (m.type === 'ack') {
      unacked--;
      const w = wake;
      wake = undefined;
      w?.();
      return;
    }
    queue.push(m);
    void next();
  });
}
