export * from './records.js';
export {
  decodeInput,
  readChunks,
  resolveProtocol,
  type DecodeInputOptions,
  type InputKind,
} from './decode-input.js';
export { recordToJson, flatFields } from './format-json.js';
export { recordToTree, type TreeOptions } from './format-tree.js';
export { runDecode, type DecodeRunOptions, type Io } from './run-decode.js';
