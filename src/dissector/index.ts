// The Wireshark dissector generator: Lua 5.2 from the schemas (it reads src/schema only; the
// protocols are passed in).
export { generateDissector, type GenerateOptions, type GeneratedDissector } from './generate.js';
export { fieldDecls, type FieldDecl } from './fields.js';
