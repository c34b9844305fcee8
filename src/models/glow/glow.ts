import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../../util/validate.js';
import { trainableVariables } from '../common.js';
import { GlowLayer, resolveGlowConfig, type GlowConfig } from '../../layers/glow/index.js';

/**
 * The Glow model API (encode/decode/sample/loss) around the `GankitGlow` layer, which — with the
 * flow components and {@link GlowConfig} — lives in `src/layers/glow/`. The layer and config names
 * are re-exported here (deprecated path) for older imports.
 */
export { GlowLayer } from '../../layers/glow/index.js';
export type { GlowConfig, GlowLayerArgs, GlowCoupling, GlowPermutation, GlowFlowResult } from '../../layers/glow/index.js';

/**
 * openai/glow `preprocess` + dequantisation: x in [0, 255] → floor(x / 2^(8 − n_bits)) / n_bins − ½
 * + U(0, 1/n_bins) (seeded).
 */
export function glowPreprocess(x: tf.Tensor, nBits: number, seed: number): tf.Tensor {
  assertPositiveInteger('glowPreprocess', 'nBits', nBits);
  const nBins = 2 ** nBits;
  return tf.tidy(() => {
    const q = tf.sub(tf.div(tf.floor(tf.div(x, 2 ** (8 - nBits))), nBins), 0.5);
    return tf.add(q, tf.randomUniform(x.shape, 0, 1 / nBins, 'float32', seed));
  });
}

/** openai/glow `postprocess`: clip(floor((x + ½)·n_bins)·(256 / n_bins), 0, 255). */
export function glowPostprocess(x: tf.Tensor, nBits: number): tf.Tensor {
  const nBins = 2 ** nBits;
  return tf.tidy(() => tf.clipByValue(tf.mul(tf.floor(tf.mul(tf.add(x, 0.5), nBins)), 256 / nBins), 0, 255));
}

export interface GlowEncoding {
  /** Standardised latents flattened [B, D] (openai demo's encoding: all per-level eps concatenated). */
  z: tf.Tensor2D;
  logdet: tf.Tensor1D;
  logpz: tf.Tensor1D;
  /** Per-sample bits per dimension. */
  bitsPerDim: tf.Tensor1D;
}

/** A Glow model: a LayersModel wrapping one {@link GlowLayer}, with encode/decode/sample/loss. */
export class Glow {
  readonly layer: GlowLayer;
  constructor(readonly model: tfl.LayersModel) {
    const layer = model.layers.find((l) => l instanceof GlowLayer);
    if (!layer) throw new Error(`Glow: 'model' must contain a ${GlowLayer.className} layer; got layers [${model.layers.map((l) => l.getClassName()).join(', ')}]`);
    this.layer = layer as GlowLayer;
  }
  get dimension(): number {
    return this.layer.dimension;
  }
  get initialized(): boolean {
    return this.layer.initialized;
  }
  /** Data-dependent initialisation of every actnorm from a batch (openai: `n_batch_init` 256 images). */
  initialize(x: tf.Tensor): void {
    const r = this.layer.flow(x, true);
    tf.dispose([...r.eps, ...r.zs, r.logdet, r.logpz]);
  }
  /** x (preprocessed) → standardised latents and likelihood terms. */
  encode(x: tf.Tensor): GlowEncoding {
    return tf.tidy(() => {
      const r = this.layer.flow(x);
      const bits = tf.div(tf.neg(this.layer.objective(r)), Math.LN2 * this.dimension) as tf.Tensor1D;
      return { z: this.layer.flatten(r.eps), logdet: r.logdet, logpz: r.logpz, bitsPerDim: bits };
    }) as unknown as GlowEncoding;
  }
  /** Standardised latents [B, D] → x (exact inverse of {@link encode}). */
  decode(z: tf.Tensor): tf.Tensor4D {
    const parts = this.layer.unflatten(z);
    try {
      return this.layer.reverseFlow(parts);
    } finally {
      tf.dispose(parts);
    }
  }
  /** Sample n images with latents N(0, temperature²) (openai demo: eps_std 0.7). */
  sample(n: number, seed: number, temperature = 1): tf.Tensor4D {
    assertPositiveInteger('Glow.sample', 'n', n);
    const z = tf.randomNormal([n, this.dimension], 0, temperature, 'float32', seed);
    try {
      return this.decode(z);
    } finally {
      z.dispose();
    }
  }
  /** Per-sample bits per dimension [B]. */
  bitsPerDim(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => {
      const r = this.layer.flow(x);
      return tf.div(tf.neg(this.layer.objective(r)), Math.LN2 * this.dimension) as tf.Tensor1D;
    });
  }
  /** Mean bits per dimension: the training loss (openai `f_loss` without the class term). */
  loss(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.mean(this.bitsPerDim(x)) as tf.Scalar);
  }
  trainableVariables(): tf.Variable[] {
    return trainableVariables(this.model);
  }
  dispose(): void {
    this.model.dispose();
  }
}

/** Build a Glow for images of `imageShape` [H, W, C] (H and W divisible by 2^levels). */
export function buildGlow(imageShape: [number, number, number], config: GlowConfig = {}): Glow {
  const where = 'buildGlow';
  if (!Array.isArray(imageShape) || imageShape.length !== 3) throw new Error(`${where}: 'imageShape' must be [H, W, C]; got ${JSON.stringify(imageShape)}`);
  imageShape.forEach((v, i) => assertPositiveInteger(where, `imageShape[${i}]`, v));
  const cfg = resolveGlowConfig(where, config);
  const f = 2 ** cfg.levels;
  if (imageShape[0] % f !== 0 || imageShape[1] % f !== 0) {
    throw new Error(`${where}: H and W must be divisible by 2^levels = ${f}; got [${imageShape.join(', ')}]`);
  }
  const x = tfl.input({ shape: imageShape, name: 'x' });
  const layer = new GlowLayer({ ...cfg, name: 'glow' });
  const outs = layer.apply(x) as tfl.SymbolicTensor[];
  return new Glow(tfl.model({ inputs: x, outputs: outs, name: 'glow_model' }));
}
