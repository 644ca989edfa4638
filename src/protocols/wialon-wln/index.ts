export { wln, wlnLine, wlnRecord } from './wln.js';
