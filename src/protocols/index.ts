// The registry: every protocol trackshark knows.
import type { Protocol } from '../schema/index.js';
import { fibocom } from './fibocom-at/index.js';
import { h02 } from './h02/index.js';
import { meiligao } from './meiligao/index.js';
import { mt700 } from './mictrack/index.js';
import { wln } from './wialon-wln/index.js';

export { fibocom, h02, meiligao, mt700, wln };

export const PROTOCOLS: readonly Protocol[] = [meiligao, mt700, h02, fibocom, wln];

/**
 * Protocols that travel as tracker payloads (TCP/UDP streams, AT socket data, server-log packets), in
 * the order content detection prefers them. AT command lines are not among them: every line is an AT
 * line to the Fibocom schema's catch-all, so AT transcripts are recognised as an input kind instead.
 */
export const PAYLOAD_PROTOCOLS: readonly Protocol[] = [meiligao, mt700, h02];

export function protocolByName(name: string): Protocol | undefined {
  return PROTOCOLS.find((p) => p.name === name);
}
