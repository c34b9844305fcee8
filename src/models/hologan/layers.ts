/**
 * HoloGAN's extra layers moved to src/layers (one concept per file); these re-exports keep the old
 * import path working. Deprecated: import them from `gankit/layers`.
 */
export { LearnedConstant, type LearnedConstantArgs } from '../../layers/learned_constant.js';
export { InstanceMoments, type InstanceMomentsArgs } from '../../layers/instance_moments.js';
