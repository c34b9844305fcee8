/** @deprecated Moved to `src/linalg/eigh.ts`; import from `../linalg/index.js`. */
export { eighDescending, eighTopK } from '../linalg/eigh.js';
