/** @deprecated Moved to `src/linalg/spectral.ts`; import from `../linalg/index.js`. */
export type { SymmetricEigen } from '../linalg/spectral.js';
export { symmetricEigen, symmetricEigenvalues, spectralFunction, PSD_TOLERANCE, sqrtmPsd, congruence } from '../linalg/spectral.js';
