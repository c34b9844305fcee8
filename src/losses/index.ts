/**
 * Losses: adversarial families, gradient penalties, reconstruction / cycle, GANimation,
 * VAE (KL, β-VAE, DFC-VAE perceptual), HoloGAN latent identity and style losses, GAN-CLS's mismatched-condition term, and document 000's steering loss.
 */
export * from './adversarial.js';
export * from './gradient_penalty.js';
export * from './reconstruction.js';
export * from './ganimation.js';
export * from './vae.js';
export * from './perceptual.js';
export * from './latent_identity.js';
export * from './style_discriminator.js';
export * from './steering.js';
export * from './mismatched_condition.js';
export * from './metric_learning.js';
export * from './terms.js';
