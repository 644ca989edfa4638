// The registry: every protocol trackshark knows, in the order content detection prefers them.
import type { Protocol } from '../schema/index.js';
import { meiligao } from './meiligao/index.js';
import { mt700 } from './mictrack/index.js';

export { meiligao, mt700 };

export const PROTOCOLS: readonly Protocol[] = [meiligao, mt700];

export function protocolByName(name: string): Protocol | undefined {
  return PROTOCOLS.find((p) => p.name === name);
}
