/** Custom tfjs-layers layers and functional ops (HoloGAN, GANimation, PGGAN, normalisations). */
export { registerGankitLayers, gankitLayerClassNames } from './register.js';
export { trilinearSample, type TrilinearBoundary } from './trilinear_sample.js';
export { rigidTransform3d, rigidSampleCoordinates, hologanRotationMatrix, RigidTransform3D, type RigidTransform3DArgs, type RigidTransform3DOptions } from './rigid_transform_3d.js';
export { sampleViews, HOLOGAN_CELEBA_VIEW_RANGES, type ViewRanges } from './view_sampling.js';
export { leakyReluTwice, type GankitActivation, type LayerArgs } from './common.js';
export { foldDepthIntoChannels, ProjectionUnit, type ProjectionUnitArgs } from './projection_unit.js';
export { adaptiveInstanceNorm, AdaIN, type AdaINArgs } from './adain.js';
export { StyleMapping, type StyleMappingArgs } from './style_mapping.js';
export { instanceNorm, instanceNormWithMoments, InstanceNorm, type InstanceNormArgs } from './instance_norm.js';
export { composeWithAttention, saturateAttention, AttentionColorHead, type AttentionColorHeadArgs, type AttentionConvention } from './attention_color_head.js';
export { PatchGANDownsample, PatchGANHeads, patchGANCritic, type PatchGANDownsampleArgs, type PatchGANHeadsArgs, type PatchGANCriticOptions } from './patchgan.js';
export { pixelNorm, PixelNorm, type PixelNormArgs } from './pixel_norm.js';
export { minibatchStdDev, MinibatchStdDev, type MinibatchStdDevArgs } from './minibatch_stddev.js';
export { EqualizedDense, EqualizedConv2D, PGGAN_GAINS, type EqualizedDenseArgs, type EqualizedConv2DArgs } from './equalized.js';
export {
  spectralNormalize,
  SpectralNormDense,
  SpectralNormConv2D,
  type SpectralNormalizeOptions,
  type SpectralNormUpdate,
  type SpectralNormDenseArgs,
  type SpectralNormConv2DArgs,
} from './spectral_norm.js';
export { conditionTile, ConditionTile } from './condition_tile.js';
export { classConditionalAffine, ClassConditionalAffine, type ClassConditionalAffineArgs } from './class_conditional_affine.js';
export { upscale2d, downscale2d, Upscale2D, Downscale2D } from './resample_2d.js';
export { ChannelBias } from './channel_bias.js';
export { FadeIn } from './fade_in.js';
export { LearnedConstant, type LearnedConstantArgs } from './learned_constant.js';
export { InstanceMoments, type InstanceMomentsArgs } from './instance_moments.js';
export { L2Normalize, type L2NormalizeArgs } from './l2_normalize.js';
export { GlowLayer, type GlowLayerArgs, type GlowFlowResult, type GlowConfig, type GlowCoupling, type GlowPermutation } from './glow/index.js';
