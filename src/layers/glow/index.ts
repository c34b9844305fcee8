/** Glow's flow as a tfjs layer: actnorm, invertible 1×1 convolutions (plain and LU), couplings, multi-scale splits and the `GankitGlow` layer. */
export { GlowLayer, type GlowLayerArgs, type GlowFlowResult } from './glow_layer.js';
export { resolveGlowConfig, type GlowConfig, type GlowCoupling, type GlowPermutation, type ResolvedGlowConfig } from './config.js';
export { FlowStep } from './flow_step.js';
export { ActNorm } from './actnorm.js';
export { InvConv1x1, InvConv1x1LU, ReversePermutation, ShufflePermutation, type Permutation } from './permutations.js';
export { ActnormConv, ZeroConv } from './conv_blocks.js';
export { Coupling, type ChannelSplit } from './coupling.js';
export { SplitPrior, TopPrior } from './priors.js';
export type { MakeWeight, FlowOut } from './flow_common.js';
export { squeeze2d, unsqueeze2d, edgePad, gaussianLogp, channels, splitInterleaved, splitChunked } from './ops.js';
