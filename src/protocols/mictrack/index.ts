// Mictrack MT700 family (MT700, MT700W, MT710, MT600, MT500, MP90): the protocol, its frame types and
// value tables. Specs: shared/specs/mt700-protocol.md and shared/specs/real-world-variants.md.
export { mt700, replyFrame, reportFrame, otherFrame, commandFrame } from './protocol.js';
export * from './tables.js';
