// Fibocom L610 (and G510, MC610) AT command lines, one frame per line of a modem log.
// Spec: shared/specs/fibocom-l610-tcpip-at-commands.md (TCP/UDP AT commands, error codes) and the
// "Fibocom AT modem logs" section of shared/specs/real-world-variants.md. The log reader strips
// timestamps and direction markers; these frames are pure AT text.
import { expert, frameType, pattern, protocol, run } from '../../schema/index.js';
import { commandLine } from './commands.js';
import { responseLine } from './responses.js';
import { otherLine, promptLine, resultLine } from './results.js';

export const fibocom = protocol({
  name: 'fibocom',
  title: 'Fibocom AT commands (TCP/IP)',
  ref: 'shared/specs/fibocom-l610-tcpip-at-commands.md#1-tcpip',
  frames: [
    frameType({
      name: 'command',
      segment: 'cmd',
      title: 'AT command',
      direction: 'uplink',
      node: commandLine,
      framing: { kind: 'line', start: [pattern('AT'), pattern('at')], max: 4200 },
    }),
    // Before `response`: `+CME ERROR: 3` would also pass for a `+NAME:` line.
    frameType({
      name: 'result',
      segment: 'result',
      title: 'Final result code',
      direction: 'downlink',
      node: resultLine,
      framing: {
        kind: 'line',
        start: [pattern('OK'), pattern('ERROR'), pattern('+CME ERROR'), pattern('+CMS ERROR')],
        max: 64,
      },
    }),
    frameType({
      name: 'response',
      segment: 'rsp',
      title: 'Response or unsolicited result',
      direction: 'downlink',
      node: responseLine,
      framing: { kind: 'line', start: [pattern('+', run('upper', 1, 1))], max: 4200 },
    }),
    frameType({
      name: 'prompt',
      segment: 'prompt',
      title: 'Data prompt',
      direction: 'downlink',
      node: promptLine,
      framing: { kind: 'line', start: [pattern('>')], max: 4200 },
    }),
    frameType({
      name: 'other',
      segment: 'other',
      title: 'Other line',
      node: otherLine,
      framing: { kind: 'line', max: 4200 },
    }),
  ],
  experts: [
    expert('fibocom.malformed', 'malformed', 'error', 'Line does not match the AT grammar'),
    expert('fibocom.trailing', 'malformed', 'warn', 'Text after the end of the line grammar'),
    expert(
      'fibocom.rsp.variant_separator.deviation',
      'protocol',
      'note',
      'Response name followed by ":" without a space or by "=" (field variant)',
    ),
  ],
});

export { commandLine } from './commands.js';
export { responseLine, SEPARATOR } from './responses.js';
export { otherLine, promptLine, resultLine } from './results.js';
export * from './errors.js';
export * from './values.js';
