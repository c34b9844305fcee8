/** Model builders: DCGAN / conditional DCGAN / ACGAN, encoder, VAEs, Glow, heads, Progressive GAN, HoloGAN, GANimation. */
export { countTrainableParams, trainableVariables } from './common.js';
export { buildDcganGenerator, buildDcganDiscriminator } from './dcgan.js';
export type { DcganGeneratorOptions, DcganDiscriminatorOptions } from './dcgan.js';
export { buildConditionalDcganGenerator, buildConditionalDcganDiscriminator, buildAcganGenerator, buildAcganDiscriminator } from './conditional_dcgan.js';
export type { ConditionalDcganGeneratorOptions, ConditionalDcganDiscriminatorOptions, AcganGeneratorOptions, AcganDiscriminatorOptions } from './conditional_dcgan.js';
export { buildEncoder, encoderLoss, encoderTrainStep } from './encoder.js';
export type { EncoderOptions, EncoderLossArgs } from './encoder.js';
export { buildVae, Vae } from './vae.js';
export type { VaeOptions, VaeForward } from './vae.js';
export * from './glow/index.js';
export { buildEmotionHead, buildEmotionClassifier, buildAuRegressor, buildIdentityEmbedding, L2Normalize, tripletLoss, contrastiveLoss } from './heads.js';
export type { CnnTrunkOptions, EmotionHeadOptions, EmotionClassifierOptions, AuRegressorOptions, IdentityEmbeddingOptions, L2NormalizeArgs } from './heads.js';
export { ProgressiveGan, buildProgressiveGan } from './progressive_gan.js';
export type { ProgressiveGanOptions } from './progressive_gan.js';
export { Upscale2D, Downscale2D, ChannelBias, FadeIn, upscale2d, downscale2d } from './pggan/layers.js';
export { progressiveStage, prepareReals, PGGAN_REFERENCE_SCHEDULE, PGGAN_CPU_SCHEDULE } from './pggan/schedule.js';
export type { ProgressiveScheduleOptions, ProgressiveStage } from './pggan/schedule.js';
