/**
 * gankit/latent — latent-editing tools: sampling and interpolation, GAN steerability walks and
 * edits, TL-GAN regression axes and locking, InterFaceGAN boundaries, projection and
 * interpolation, GANSpace PCA, Glow/DFC-VAE attribute arithmetic, and GAN inversion.
 * Matrix inputs are Tensors or number[][]; outputs come back in the same kind.
 */
export type { MatrixLike as LatentMatrix, SameKind as LatentSameKind, CrossprodEngine } from '../linalg/index.js';
export { sampleLatents } from './sampling.js';
export type { SampleLatentsOptions } from './sampling.js';
export { lerp, slerp } from './interpolation.js';
export {
  zoomEdit,
  shiftEdit,
  rotateEdit,
  colorEdit,
  brightnessEdit,
  maskedL2,
  sampleColorAlpha,
  sampleBrightnessAlpha,
  sampleZoomAlpha,
  sampleShiftAlpha,
  sampleRotateAlpha,
  walkEdit,
} from './edits.js';
export type { EditResult, WalkAlpha, WalkEdit, WalkEditName } from './edits.js';
export { trainLinearWalk, trainLinearWalkAsync, applyLinearWalk, callGenerator, LINEAR_WALK_LEARNING_RATES } from './linear_walk.js';
export type { Generator as LatentGenerator, WalkObjective, TrainLinearWalkOptions, LinearWalkResult } from './linear_walk.js';
export { NonlinearWalk, trainNonlinearWalk, trainNonlinearWalkAsync, nonlinearWalkStep } from './nonlinear_walk.js';
export type { NonlinearWalkOptions, NonlinearWalkResult, TrainNonlinearWalkOptions } from './nonlinear_walk.js';
export { linearRegression, regressionAxes } from './regression_axes.js';
export type { LinearRegressionOptions, LinearRegressionResult, RegressionAxesOptions } from './regression_axes.js';
export { gramSchmidt, disentangleAxes, axisSimilarity } from './gram_schmidt.js';
export type { GramSchmidtOptions, DisentangleOptions } from './gram_schmidt.js';
export { linearSvm, trainBoundary } from './svm_boundary.js';
export type { LinearSvmOptions, LinearSvmResult, TrainBoundaryOptions, BoundaryResult } from './svm_boundary.js';
export { projectBoundary } from './project_boundary.js';
export { linearInterpolate, linspace } from './linear_interpolate.js';
export type { LinearInterpolateOptions } from './linear_interpolate.js';
export { pca, IncrementalPca } from './pca.js';
export { pcaEdit, pcaTargetEdit, latentDirectionsFromActivations } from './ganspace_edits.js';
export type { PcaResult, PcaOptions } from './pca.js';
export type { PcaEditOptions } from './ganspace_edits.js';
export { attributeVector, applyAttribute, attributeRange, projectOnAttribute } from './arithmetic.js';
export type { AttributeVectorOptions } from './arithmetic.js';
export { invertByOptimization, invertByOptimizationAsync, invertWithEncoder, invertWithEncoderAsync, encodeImages, trainInversionEncoder, trainInversionEncoderAsync } from './inversion.js';
export type { InversionLoss, InvertOptions, InversionResult, Encoder as LatentEncoder, TrainEncoderOptions } from './inversion.js';
