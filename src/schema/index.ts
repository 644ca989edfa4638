// The schema language: data-only nodes, their constructors, inferred types and shared analyses.
export * from './nodes.js';
export * from './dsl.js';
export * from './checksums.js';
export * from './analysis.js';
export type { Decoded, Encodable } from './infer.js';
export { checkSchema, type SchemaProblem } from './check.js';
