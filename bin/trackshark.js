#!/usr/bin/env node
import { main } from '../dist/cli/main.js';

main().catch((e) => {
  process.stderr.write(
    `trackshark: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(70);
});
