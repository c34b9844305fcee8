/** @deprecated Moved to `src/linalg/lu.ts` and `src/linalg/random_orthogonal.ts`; import from `../../linalg/index.js`. */
export type { Mat, LU } from '../../linalg/lu.js';
export { luDecompose, logAbsDet, inverse, luFactors, logAbsDetOp } from '../../linalg/lu.js';
export { randomOrthogonal } from '../../linalg/random_orthogonal.js';
