/** pipe's public API: what users import from their own code and tests. */
export { type ErrorCode, PipeError } from './errors.js';
