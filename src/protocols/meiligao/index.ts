export { meiligao, meiligaoFrame } from './frame.js';
export * from './commands.js';
