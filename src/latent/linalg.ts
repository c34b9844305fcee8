/**
 * @deprecated Moved to `src/linalg/` (rows.ts, crossprod.ts, sym_eig.ts, cholesky.ts); import from
 * `../linalg/index.js`. This path re-exports them for older imports.
 */
export type { Floats, Mat, MatrixLike, Kind, SameKind } from '../linalg/rows.js';
export { kindOf, readMatrix, assertFiniteRows, writeMatrix, readVector, writeVectorLike, dot, norm, columnMeans } from '../linalg/rows.js';
export type { CrossprodEngine } from '../linalg/crossprod.js';
export { resolveEngine, accumulateCrossprod } from '../linalg/crossprod.js';
export { symmetrize, symEig, symEigTop, flipRowsByMaxAbs } from '../linalg/sym_eig.js';
export { cholesky, solveSymmetric } from '../linalg/cholesky.js';
