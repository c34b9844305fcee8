/**
 * Progressive GAN's small layers moved to src/layers (one concept per file); these re-exports keep
 * the old import path working. Deprecated: import them from `gankit/layers`.
 */
export { upscale2d, downscale2d, Upscale2D, Downscale2D } from '../../layers/resample_2d.js';
export { ChannelBias } from '../../layers/channel_bias.js';
export { FadeIn } from '../../layers/fade_in.js';
