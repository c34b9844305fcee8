import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../util/validate.js';
import { EqualizedConv2D, EqualizedDense, PGGAN_GAINS } from '../layers/equalized.js';
import { PixelNorm } from '../layers/pixel_norm.js';
import { MinibatchStdDev } from '../layers/minibatch_stddev.js';
import { type Initializer, ap, trainableVariables } from './common.js';
import { ChannelBias, Downscale2D, FadeIn, Upscale2D } from '../layers/index.js';

/**
 * Progressive GAN (Karras et al. 2018; tkarras/progressive_growing_of_gans networks.py `G_paper`,
 * `D_paper`; algorithms.md §10), channels last.
 *
 * G: [PixelNorm(z)] → EqualizedDense(16·nf(1), gain √2/4, no bias) → reshape 4×4 → bias → LReLU →
 * PixelNorm → conv3 → LReLU → PixelNorm; per doubling: nearest ×2 → conv3 → LReLU → PN → conv3 →
 * LReLU → PN; ToRGB = 1×1 conv (gain 1). (The reference's fused upscale-conv is the same function.)
 * D: FromRGB = 1×1 conv + LReLU; per halving: conv3 (nf(res−1)) → LReLU → conv3 (nf(res−2)) →
 * LReLU → 2×2 box downscale; at 4×4: minibatch stddev → conv3 → LReLU → dense nf(0) → LReLU →
 * dense 1 (gain 1). All weights equalized-LR (N(0, 1) stored, gain/√fan_in at run time), LReLU 0.2.
 * nf(stage) = min(⌊fmapBase / 2^(stage·fmapDecay)⌋, fmapMax).
 * Fade-in (reference `lerp_clip`): G outputs old + (new − old)·α with old = upscale(ToRGB of the
 * previous resolution); D mixes FromRGB(downscale(x)) into the output of the newest block the same way.
 * Real images are faded identically by {@link prepareReals}. Training: WGAN-GP + drift (src/losses
 * `wassersteinDiscriminatorLoss`, `gradientPenalty`, `driftPenalty`), Adam(1e-3, β 0/0.99, ε 1e-8)
 * reset at each new resolution, and an EMA of G (src/train `ExponentialMovingAverage`, β 0.999,
 * over {@link ProgressiveGan.generatorVariables}).
 *
 * Stage models share their layers (and so their weights). Do not dispose a stage model; dispose
 * the ProgressiveGan. `generatorAll`/`discriminatorAll` hold every weight and are what to save.
 */
export interface ProgressiveGanOptions {
  /** Final resolution, a power of two ≥ 4 (reference CelebA-HQ 1024). */
  resolution: number;
  channels?: number;
  /** Latent size (reference 512). */
  latentDim?: number;
  /** Reference `fmap_base` 8192. */
  fmapBase?: number;
  /** Reference `fmap_decay` 1. */
  fmapDecay?: number;
  /** Reference `fmap_max` 512. */
  fmapMax?: number;
  /** Minibatch-stddev group size (reference 4; 0 disables). */
  mbstdGroupSize?: number;
  /** PixelNorm on the input latent (reference `normalize_latents` true). */
  normalizeLatents?: boolean;
  /**
   * Conditioning labels (reference `label_size`, default 0): G takes `[z, labels]` (concatenated
   * before the latent PixelNorm) and D outputs `[score [B, 1], labels [B, labelSize]]` from its last
   * dense layer (1 + labelSize units, split; the AC-GAN term of `D_wgangp_acgan`).
   */
  labelSize?: number;
  seed?: number;
}

type Resolved = Required<ProgressiveGanOptions>;

const LEAK = 0.2;

export class ProgressiveGan {
  readonly options: Resolved;
  readonly resolutionLog2: number;
  /** z (or [z, labels]) → [rgb at 4, 8, …, final]: every generator weight. */
  readonly generatorAll: tfl.LayersModel;
  /** [x at 4, 8, …, final] → [score (and label logits) at each]: every discriminator weight. */
  readonly discriminatorAll: tfl.LayersModel;
  private readonly gFade: FadeIn;
  private readonly dFade: FadeIn;
  private readonly stageModels = new Map<string, tfl.LayersModel>();

  /** Build fresh networks, or wrap loaded `generatorAll` / `discriminatorAll` models (see {@link ProgressiveGan.fromModels}). */
  constructor(options: ProgressiveGanOptions, loaded?: { generatorAll: tfl.LayersModel; discriminatorAll: tfl.LayersModel }) {
    const where = 'ProgressiveGan';
    if (options == null || typeof options !== 'object') throw new Error(`${where}: 'options' must be an object with 'resolution'; got ${String(options)}`);
    const o: Resolved = {
      resolution: options.resolution,
      channels: options.channels ?? 3,
      latentDim: options.latentDim ?? 512,
      fmapBase: options.fmapBase ?? 8192,
      fmapDecay: options.fmapDecay ?? 1,
      fmapMax: options.fmapMax ?? 512,
      mbstdGroupSize: options.mbstdGroupSize ?? 4,
      normalizeLatents: options.normalizeLatents ?? true,
      labelSize: options.labelSize ?? 0,
      seed: options.seed ?? 0,
    };
    for (const k of ['resolution', 'channels', 'latentDim', 'fmapBase', 'fmapMax'] as const) assertPositiveInteger(where, k, o[k]);
    const l2 = Math.log2(o.resolution);
    if (!Number.isInteger(l2) || l2 < 2) throw new Error(`${where}: 'resolution' must be a power of two ≥ 4; got ${o.resolution}`);
    if (!Number.isInteger(o.mbstdGroupSize) || o.mbstdGroupSize < 0) throw new Error(`${where}: 'mbstdGroupSize' must be an integer ≥ 0; got ${o.mbstdGroupSize}`);
    if (!Number.isInteger(o.labelSize) || o.labelSize < 0) throw new Error(`${where}: 'labelSize' must be an integer ≥ 0; got ${o.labelSize}`);
    this.options = o;
    this.resolutionLog2 = l2;
    this.gFade = new FadeIn({ name: 'g_fade' });
    this.dFade = new FadeIn({ name: 'd_fade' });
    if (loaded) {
      this.generatorAll = loaded.generatorAll;
      this.discriminatorAll = loaded.discriminatorAll;
    } else {
      this.generatorAll = this.buildGeneratorAll();
      this.discriminatorAll = this.buildDiscriminatorAll();
    }
    const meta = { gankit: 'ProgressiveGan', options: o };
    this.generatorAll.setUserDefinedMetadata(meta);
    this.discriminatorAll.setUserDefinedMetadata(meta);
  }

  /** Wrap models saved from {@link ProgressiveGan.generatorAll} and {@link ProgressiveGan.discriminatorAll} (options come from their metadata). */
  static fromModels(generatorAll: tfl.LayersModel, discriminatorAll: tfl.LayersModel): ProgressiveGan {
    const meta = generatorAll.getUserDefinedMetadata() as { gankit?: string; options?: ProgressiveGanOptions } | undefined;
    if (meta?.gankit !== 'ProgressiveGan' || meta.options == null) {
      throw new Error(`ProgressiveGan.fromModels: 'generatorAll' carries no ProgressiveGan metadata; save the models from ProgressiveGan.generatorAll / discriminatorAll`);
    }
    return new ProgressiveGan(meta.options, { generatorAll, discriminatorAll });
  }

  /** Feature maps at a stage: min(⌊fmapBase / 2^(stage·fmapDecay)⌋, fmapMax). */
  nf(stage: number): number {
    return Math.min(Math.floor(this.options.fmapBase / 2 ** (stage * this.options.fmapDecay)), this.options.fmapMax);
  }

  private seedFor(name: string): Initializer {
    let h = this.options.seed >>> 0;
    for (let i = 0; i < name.length; i++) h = (Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0) & 0x7fffffff;
    return tfl.initializers.randomNormal({ mean: 0, stddev: 1, seed: h });
  }

  // ---- weighted layers, created once and shared by every stage model (looked up by name) ----
  private readonly layerCache = new Map<string, tfl.layers.Layer>();
  private layer<T extends tfl.layers.Layer>(name: string, make: () => T): T {
    let l = this.layerCache.get(name);
    if (!l) {
      for (const m of [this.generatorAll, this.discriminatorAll]) {
        if (!m) continue;
        try {
          l = m.getLayer(name);
          break;
        } catch {
          // not in this model
        }
      }
      l = l ?? make();
      this.layerCache.set(name, l);
    }
    return l as T;
  }
  private eqConv(name: string, filters: number, kernelSize: number, gain: number = PGGAN_GAINS.default): EqualizedConv2D {
    return this.layer(name, () => new EqualizedConv2D({ name, filters, kernelSize, gain, kernelInitializer: this.seedFor(name) }));
  }
  private eqDense(name: string, units: number, gain: number, useBias = true): EqualizedDense {
    return this.layer(name, () => new EqualizedDense({ name, units, gain, useBias, kernelInitializer: this.seedFor(name) }));
  }

  private lrelu(x: tfl.SymbolicTensor): tfl.SymbolicTensor {
    return ap(tfl.layers.leakyReLU({ alpha: LEAK }), x);
  }
  private pn(x: tfl.SymbolicTensor): tfl.SymbolicTensor {
    return ap(new PixelNorm(), x);
  }

  /** Generator features at log2-resolution r (r = 2 is 4×4). */
  private gFeatures(z: tfl.SymbolicTensor, r: number): tfl.SymbolicTensor[] {
    const feats: tfl.SymbolicTensor[] = [];
    let x = this.options.normalizeLatents ? this.pn(z) : z;
    const nf1 = this.nf(1);
    x = ap(this.eqDense('g4_dense', nf1 * 16, PGGAN_GAINS.generatorDense4x4, false), x);
    x = ap(tfl.layers.reshape({ targetShape: [4, 4, nf1] }), x);
    x = this.pn(
      this.lrelu(
        ap(
          this.layer('g4_bias', () => new ChannelBias({ name: 'g4_bias' })),
          x,
        ),
      ),
    );
    x = this.pn(this.lrelu(ap(this.eqConv('g4_conv', nf1, 3), x)));
    feats.push(x);
    for (let res = 3; res <= r; res++) {
      const s = 2 ** res;
      x = ap(new Upscale2D(), x);
      x = this.pn(this.lrelu(ap(this.eqConv(`g${s}_conv0`, this.nf(res - 1), 3), x)));
      x = this.pn(this.lrelu(ap(this.eqConv(`g${s}_conv1`, this.nf(res - 1), 3), x)));
      feats.push(x);
    }
    return feats;
  }
  private toRgb(x: tfl.SymbolicTensor, r: number): tfl.SymbolicTensor {
    return ap(this.eqConv(`g${2 ** r}_torgb`, this.options.channels, 1, PGGAN_GAINS.toRGB), x);
  }

  /** Discriminator from features at log2-resolution r down to the score (and label predictions). */
  private dBlocks(x: tfl.SymbolicTensor, r: number, fadeFrom?: tfl.SymbolicTensor): tfl.SymbolicTensor[] {
    let h = x;
    for (let res = r; res >= 3; res--) {
      const s = 2 ** res;
      h = this.lrelu(ap(this.eqConv(`d${s}_conv0`, this.nf(res - 1), 3), h));
      h = this.lrelu(ap(this.eqConv(`d${s}_conv1`, this.nf(res - 2), 3), h));
      h = ap(new Downscale2D(), h);
      if (res === r && fadeFrom) h = ap(this.dFade, [fadeFrom, h]);
    }
    if (this.options.mbstdGroupSize > 0) h = ap(new MinibatchStdDev({ groupSize: this.options.mbstdGroupSize }), h);
    h = this.lrelu(ap(this.eqConv('d4_conv', this.nf(1), 3), h));
    h = this.lrelu(ap(this.eqDense('d4_dense0', this.nf(0), PGGAN_GAINS.default), h));
    const score = ap(this.eqDense('d4_dense1', 1, PGGAN_GAINS.criticOutputDense), h);
    if (this.options.labelSize === 0) return [score];
    // The reference's dense(1 + label_size) as two dense layers on the same input (the same function and parameters).
    return [score, ap(this.eqDense('d4_dense1_labels', this.options.labelSize, PGGAN_GAINS.criticOutputDense), h)];
  }

  /** G's inputs: z, plus labels when `labelSize` > 0; returns [inputs, combined latent]. */
  private gInputs(): [tfl.SymbolicTensor[], tfl.SymbolicTensor] {
    const z = tfl.input({ shape: [this.options.latentDim], name: 'z' });
    if (this.options.labelSize === 0) return [[z], z];
    const y = tfl.input({ shape: [this.options.labelSize], name: 'labels' });
    return [[z, y], ap(tfl.layers.concatenate({ axis: -1 }), [z, y])];
  }
  private fromRgb(x: tfl.SymbolicTensor, r: number): tfl.SymbolicTensor {
    return this.lrelu(ap(this.eqConv(`d${2 ** r}_fromrgb`, this.nf(r - 1), 1), x));
  }

  private buildGeneratorAll(): tfl.LayersModel {
    const [inputs, z] = this.gInputs();
    const feats = this.gFeatures(z, this.resolutionLog2);
    const outs = feats.map((f, i) => this.toRgb(f, i + 2));
    return tfl.model({ inputs, outputs: outs, name: 'pggan_generator_all' });
  }
  private buildDiscriminatorAll(): tfl.LayersModel {
    const inputs: tfl.SymbolicTensor[] = [];
    const outs: tfl.SymbolicTensor[] = [];
    for (let r = 2; r <= this.resolutionLog2; r++) {
      const x = tfl.input({ shape: [2 ** r, 2 ** r, this.options.channels], name: `x${2 ** r}` });
      inputs.push(x);
      outs.push(...this.dBlocks(this.fromRgb(x, r), r));
    }
    return tfl.model({ inputs, outputs: outs, name: 'pggan_discriminator_all' });
  }

  private checkResolution(where: string, resolution: number): number {
    const r = Math.log2(resolution);
    if (!Number.isInteger(r) || r < 2 || r > this.resolutionLog2) {
      throw new Error(`${where}: 'resolution' must be a power of two in [4, ${this.options.resolution}]; got ${resolution}`);
    }
    return r;
  }

  /**
   * The generator z (or [z, labels]) → image at `resolution`; with `fade`, the output is faded
   * with the upscaled previous resolution by α ({@link setAlpha}).
   */
  generator(resolution: number, fade = false): tfl.LayersModel {
    const r = this.checkResolution('ProgressiveGan.generator', resolution);
    const fading = fade && r > 2;
    const key = `g${resolution}:${fading}`;
    let m = this.stageModels.get(key);
    if (!m) {
      const [inputs, z] = this.gInputs();
      const feats = this.gFeatures(z, r);
      let out = this.toRgb(feats[r - 2], r);
      if (fading) out = ap(this.gFade, [ap(new Upscale2D(), this.toRgb(feats[r - 3], r - 1)), out]);
      m = tfl.model({ inputs, outputs: out, name: `pggan_g${resolution}${fading ? '_fade' : ''}` });
      this.stageModels.set(key, m);
    }
    return m;
  }

  /**
   * The discriminator image at `resolution` → score [B, 1] (or `[score, labels]` with `labelSize`);
   * with `fade`, FromRGB(downscale(x)) is mixed in by α.
   */
  discriminator(resolution: number, fade = false): tfl.LayersModel {
    const r = this.checkResolution('ProgressiveGan.discriminator', resolution);
    const fading = fade && r > 2;
    const key = `d${resolution}:${fading}`;
    let m = this.stageModels.get(key);
    if (!m) {
      const x = tfl.input({ shape: [resolution, resolution, this.options.channels], name: 'image' });
      const old = fading ? this.fromRgb(ap(new Downscale2D(), x), r - 1) : undefined;
      const outs = this.dBlocks(this.fromRgb(x, r), r, old);
      m = tfl.model({ inputs: x, outputs: outs.length === 1 ? outs[0] : outs, name: `pggan_d${resolution}${fading ? '_fade' : ''}` });
      this.stageModels.set(key, m);
    }
    return m;
  }

  /** Set the fade-in weight α ∈ [0, 1] of G and D (α = 1 − frac(lod); see `progressiveStage`). */
  setAlpha(alpha: number): void {
    this.gFade.setAlpha(alpha);
    this.dFade.setAlpha(alpha);
  }
  get alpha(): number {
    return this.gFade.alpha;
  }

  /** Every generator variable (all resolutions; what the EMA G averages). */
  generatorVariables(): tf.Variable[] {
    return trainableVariables(this.generatorAll);
  }
  discriminatorVariables(): tf.Variable[] {
    return trainableVariables(this.discriminatorAll);
  }
  /** Variables used by the stage at `resolution` (what the optimiser of that phase updates). */
  stageVariables(resolution: number, fade = false): { generator: tf.Variable[]; discriminator: tf.Variable[] } {
    return { generator: trainableVariables(this.generator(resolution, fade)), discriminator: trainableVariables(this.discriminator(resolution, fade)) };
  }

  dispose(): void {
    // Shared layers are applied several times (once per stage, and inside the all-stage models),
    // so tfjs-layers' refcounts never reach 0 by disposing each model once: release every weight
    // of every layer directly (each exactly once).
    const layers = new Set<tfl.layers.Layer>([...this.generatorAll.layers, ...this.discriminatorAll.layers, this.gFade, this.dFade]);
    for (const m of this.stageModels.values()) m.layers.forEach((l) => layers.add(l));
    this.stageModels.clear();
    const seen = new Set<tf.Variable>();
    for (const layer of layers) {
      for (const w of layer.weights) {
        const v = w.read() as tf.Variable;
        if (!seen.has(v) && !v.isDisposed) v.dispose();
        seen.add(v);
      }
    }
  }
}

/** Build a Progressive GAN (see {@link ProgressiveGan}). */
export function buildProgressiveGan(options: ProgressiveGanOptions): ProgressiveGan {
  return new ProgressiveGan(options);
}
