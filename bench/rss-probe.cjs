// Preloaded into a benchmarked node process (NODE_OPTIONS=--require): at exit, writes the process's
// peak resident set size (getrusage maxrss, KiB, worker threads included) to TRACKSHARK_RSS_FILE.
'use strict';
const { writeFileSync } = require('node:fs');
const file = process.env.TRACKSHARK_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
