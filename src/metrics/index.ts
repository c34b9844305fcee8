/**
 * `gankit/metrics`: FID and KID from activations of any embedding, and the scores the
 * reproductions report — attribute-vs-α curves, identity drift, axis correlation,
 * pose consistency, mask localisation, classification — plus summary statistics.
 * Everything is backend-agnostic and accepts tfjs tensors or plain arrays; computation is float64.
 */
export { fidFromActivations, frechetDistance, activationStatistics } from './fid.js';
export type { ActivationStatistics, GaussianStatistics } from './fid.js';
export { kidFromActivations, polynomialMmd } from './kid.js';
export type { KidOptions, KidResult, PolynomialKernelOptions } from './kid.js';
export { sqrtmPsd } from '../linalg/index.js';
export { attributeCurve } from './attribute_curve.js';
export type { AttributeCurve, AttributeCurveOptions } from './attribute_curve.js';
export { identityDrift } from './identity_drift.js';
export type { IdentityDrift } from './identity_drift.js';
export { axisCorrelation, featureCorrelation } from './axis_correlation.js';
export type { AxisCorrelation, AxisCorrelationOptions } from './axis_correlation.js';
export { correlationMatrix, cosineSimilarityMatrix, pearsonCorrelation, spearmanCorrelation } from './correlation.js';
export type { CorrelationMatrixOptions } from './correlation.js';
export { poseConsistency } from './pose_consistency.js';
export type { PoseConsistency } from './pose_consistency.js';
export { maskLocalisation } from './mask_localisation.js';
export type { MaskConvention, MaskLocalisation, MaskLocalisationOptions } from './mask_localisation.js';
export { regressionError } from './regression_error.js';
export type { RegressionError } from './regression_error.js';
export { classificationReport, classificationAccuracy, confusionMatrix } from './classification.js';
export type { ClassificationOptions, ClassificationReport } from './classification.js';
export { summarize, quantile } from './summary.js';
export { retrievalAccuracy } from './retrieval.js';
export type { RetrievalOptions, RetrievalResult } from './retrieval.js';
export type { Summary, SummarizeOptions } from './summary.js';
export type { ArrayMatrixLike as MatrixLike, MatrixStackLike, TensorLike, VectorLike } from '../linalg/index.js';
