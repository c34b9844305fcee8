/** @deprecated Moved to `src/linalg/array_input.ts`; import from `../linalg/index.js`. */
export type { VectorLike, MatrixLike, MatrixStackLike, Matrix64, TensorLike } from '../linalg/array_input.js';
export { readTensorLike, readVector, readMatrix, readMatrixStack, readRows } from '../linalg/array_input.js';
