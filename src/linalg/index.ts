/**
 * gankit's dense float64 linear algebra (internal; one file per concept). latent, metrics, layers
 * and models import from here, never from each other:
 *
 * - rows.ts — row-major matrices/vectors read from Tensors or number[][] (latent's I/O convention)
 * - array_input.ts — the metrics' readers (tensors or array-likes → Float64Array, with checks)
 * - crossprod.ts — XᵀX / XᵀY accumulation (blocked float64 JS kernel or backend matMul)
 * - eigh.ts — symmetric eigendecomposition (tred2/tql2) and the top-k variant
 * - sym_eig.ts — symmetrise, symEig/symEigTop wrappers, sklearn's sign flip
 * - spectral.ts — eigen-based matrix functions: sqrtm of a PSD matrix, congruence (FID)
 * - cholesky.ts — Cholesky and symmetric solves
 * - lu.ts — LU with pivoting, log|det| (with a differentiable op), inverse (Glow)
 * - random_orthogonal.ts — a seeded random orthogonal matrix
 */
export type { Floats, Mat, MatrixLike, Kind, SameKind } from './rows.js';
export { kindOf, readMatrix, assertFiniteRows, writeMatrix, readVector, writeVectorLike, dot, norm, columnMeans } from './rows.js';
export type { VectorLike, MatrixLike as ArrayMatrixLike, MatrixStackLike, Matrix64, TensorLike } from './array_input.js';
export { readTensorLike, readVector as readArrayVector, readMatrix as readArrayMatrix, readMatrixStack, readRows } from './array_input.js';
export type { CrossprodEngine } from './crossprod.js';
export { resolveEngine, accumulateCrossprod } from './crossprod.js';
export { eighDescending, eighTopK } from './eigh.js';
export { symmetrize, symEig, symEigTop, flipRowsByMaxAbs } from './sym_eig.js';
export type { SymmetricEigen } from './spectral.js';
export { symmetricEigen, symmetricEigenvalues, spectralFunction, PSD_TOLERANCE, sqrtmPsd, congruence } from './spectral.js';
export { cholesky, solveSymmetric } from './cholesky.js';
export type { Mat as SquareMat, LU } from './lu.js';
export { luDecompose, logAbsDet, inverse as matrixInverse, luFactors, logAbsDetOp } from './lu.js';
export { randomOrthogonal } from './random_orthogonal.js';
