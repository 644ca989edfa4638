// Session prefixes for live targets: the valid frames a server wants before it takes positions, and
// the frame it answers (the probe after each case, and the canary). Frames from the vendor documents.
import { fromHex, fromLatin1 } from '../decode/index.js';
import type { Session } from './run.js';

export interface NamedSession extends Session {
  /** The `--session` name. */
  readonly name: string;
}

/** VT600 OTA protocol §1: login (0x5000) of device 12345678901; the server answers 0x4000. */
const MEILIGAO_LOGIN = fromHex('2424001112345678901fff50006f350d0a')!;
/** MT700 protocol, GPS example 1 (captures/mt700/gps-examples.txt). */
const MT700_REPORT = fromLatin1(
  '#862255061947757#MT700#0000#AUTO#1\r\n#3815$GPRMC,123318.00,A,2238.8946,N,11402.0635,E,,,100124,,,A*5C\r\n##\r\n',
);

export const SESSIONS: readonly NamedSession[] = [
  // Meiligao login (answered by 0x4000), then the fuzzed frame; the login is also the probe.
  { name: 'meiligao-login', prefix: [MEILIGAO_LOGIN], probe: MEILIGAO_LOGIN },
  // An MT700 report first, then the fuzzed frame; the report is also the probe.
  { name: 'mt700-report', prefix: [MT700_REPORT], probe: MT700_REPORT },
];
