// The Wireshark dissector generator: Lua 5.2 from the schemas (it reads src/schema only; the
// protocols are passed in).
export {
  AT_LOG_ENCAP,
  AT_LOG_PROTOCOL,
  generateDissector,
  type GenerateOptions,
  type GeneratedDissector,
} from './generate.js';
export { extraFields, fieldDecls, type FieldDecl } from './fields.js';
