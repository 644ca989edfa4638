// Runs a replay under the Ink TUI; the screen stays after the replay ends until the user quits.
import { render } from 'ink';
import type { ReplayEngine, ReplaySummary } from '../engine.js';
import { App } from './App.js';

export async function runTui(
  engine: ReplayEngine,
  io: { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream },
): Promise<ReplaySummary> {
  let done = false;
  const onQuit = () => {
    if (!done) engine.stop('quit');
  };
  const view = () => <App source={engine} done={done} onQuit={onQuit} />;
  const app = render(view(), { stdout: io.stdout, stdin: io.stdin, exitOnCtrlC: false });
  const summary = await engine.run();
  done = true;
  app.rerender(view());
  await app.waitUntilExit();
  return summary;
}
