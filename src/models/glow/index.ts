/** Glow: the `Glow` model API (encode/decode/sample/loss) and `buildGlow`; the `GankitGlow` layer and its flow components live in `src/layers/glow/` and are re-exported here. */
export { Glow, buildGlow, glowPreprocess, glowPostprocess } from './glow.js';
export type { GlowEncoding } from './glow.js';
/** @deprecated The layer, its config and the flow components moved to `src/layers/glow/`; re-exported here for older imports. */
export { GlowLayer, ActNorm, InvConv1x1, InvConv1x1LU, ReversePermutation, ShufflePermutation, Coupling, SplitPrior, TopPrior, ZeroConv, ActnormConv } from '../../layers/glow/index.js';
export type { GlowConfig, GlowLayerArgs, GlowCoupling, GlowPermutation, GlowFlowResult, ChannelSplit, MakeWeight, FlowOut, Permutation } from '../../layers/glow/index.js';
export { squeeze2d, unsqueeze2d, edgePad, gaussianLogp } from '../../layers/glow/index.js';
/** @deprecated The LU helpers moved to `src/linalg/`; re-exported here for older imports. */
export { logAbsDetOp, luDecompose, luFactors, randomOrthogonal, matrixInverse, logAbsDet } from '../../linalg/index.js';
