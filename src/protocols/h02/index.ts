export { h02, h02Command, h02Message } from './frame.js';
export { binaryPosition, binaryX } from './binary.js';
export * from './names.js';
