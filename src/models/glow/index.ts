/** Glow: actnorm, invertible 1×1 convolutions (plain and LU), couplings, multi-scale splits, the `GankitGlow` layer and the `Glow` API. */
export { Glow, GlowLayer, buildGlow, glowPreprocess, glowPostprocess } from './glow.js';
export type { GlowConfig, GlowLayerArgs, GlowCoupling, GlowPermutation, GlowEncoding, GlowFlowResult } from './glow.js';
export { ActNorm, InvConv1x1, InvConv1x1LU, ReversePermutation, ShufflePermutation, Coupling, SplitPrior, TopPrior, ZeroConv, ActnormConv } from './components.js';
export type { ChannelSplit, MakeWeight, FlowOut, Permutation } from './components.js';
export { squeeze2d, unsqueeze2d, edgePad, gaussianLogp } from './ops.js';
export { logAbsDetOp, luDecompose, luFactors, randomOrthogonal, inverse as matrixInverse, logAbsDet } from './linalg.js';
