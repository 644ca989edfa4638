// The trackshark library: schemas, protocols, decoding and capture input. Never the CLI or TUI stack.
export * from './schema/index.js';
export * from './decode/index.js';
export * from './protocols/index.js';
export * from './capture/index.js';
export * from './pipeline/index.js';
