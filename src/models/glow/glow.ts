import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertPositiveInteger } from '../../util/validate.js';
import { Random } from '../../util/random.js';
import { trainableVariables } from '../common.js';
import {
  ActNorm,
  type ChannelSplit,
  Coupling,
  InvConv1x1,
  InvConv1x1LU,
  type MakeWeight,
  type Permutation,
  ReversePermutation,
  ShufflePermutation,
  SplitPrior,
  TopPrior,
} from './components.js';
import { channels, gaussianLogp, squeeze2d, unsqueeze2d } from './ops.js';

/**
 * Glow (Kingma & Dhariwal 2018) after openai/glow model.py (`codec`, `revnet2d_step`, `split2d`,
 * `prior`, `_f_loss`), with rosinality/glow-pytorch's conventions as options (algorithms.md §8):
 *
 *   x ∈ [−½, ½] (+ U(0, 1/n_bins) dequantisation) → squeeze2d → for each level:
 *   depth × [actnorm → permutation → coupling]; between levels split2d (z2 scored by a learned
 *   Gaussian from z1, z1 squeezed) → top prior.
 *   objective = −log(n_bins)·D + log-det + log p(z);  bits/dim = −objective / (ln 2 · D).
 *
 * Defaults follow openai/glow train.py (3 levels, depth 32, width 512, additive coupling, plain
 * invertible 1×1 conv, interleaved splits, edge-bias padding, no learned top prior, 8 bits).
 */
export type GlowCoupling = 'additive' | 'affine';
export type GlowPermutation = 'conv' | 'lu' | 'reverse' | 'shuffle';

export interface GlowConfig {
  /** Number of levels (openai `n_levels`, default 3). */
  levels?: number;
  /** Flow steps per level (openai `depth`, default 32). */
  depth?: number;
  /** Hidden channels of the coupling network (openai `width`, default 512). */
  width?: number;
  /** 'additive' (openai default `flow_coupling 0`) or 'affine'. */
  coupling?: GlowCoupling;
  /** 'conv' (openai default, plain 1×1 conv), 'lu' (rosinality default), 'reverse' or 'shuffle' (openai flow_permutation 0 and 1). */
  permutation?: GlowPermutation;
  /** Channel-split convention of affine coupling and split priors (default 'interleaved' = openai; 'chunked' = rosinality). */
  split?: ChannelSplit;
  /** openai's edge-bias padding for 3×3 convs (default true); false = plain zero 'same' padding. */
  edgeBias?: boolean;
  /** Learned top prior (openai `--learntop`, default false). */
  learnTop?: boolean;
  /** Bits per input subpixel (openai `n_bits_x`, default 8). */
  nBits?: number;
  seed?: number;
}

export interface GlowLayerArgs extends GlowConfig {
  name?: string;
}

type Resolved = Required<GlowConfig>;

function resolve(where: string, c: GlowConfig): Resolved {
  const r: Resolved = {
    levels: c.levels ?? 3,
    depth: c.depth ?? 32,
    width: c.width ?? 512,
    coupling: c.coupling ?? 'additive',
    permutation: c.permutation ?? 'conv',
    split: c.split ?? 'interleaved',
    edgeBias: c.edgeBias ?? true,
    learnTop: c.learnTop ?? false,
    nBits: c.nBits ?? 8,
    seed: c.seed ?? 0,
  };
  for (const k of ['levels', 'depth', 'width', 'nBits'] as const) assertPositiveInteger(where, k, r[k]);
  if (r.nBits > 8) throw new Error(`${where}: 'nBits' must be in [1, 8]; got ${r.nBits}`);
  if (!['additive', 'affine'].includes(r.coupling)) throw new Error(`${where}: 'coupling' must be 'additive' or 'affine'; got ${String(r.coupling)}`);
  if (!['conv', 'lu', 'reverse', 'shuffle'].includes(r.permutation)) throw new Error(`${where}: 'permutation' must be 'conv', 'lu', 'reverse' or 'shuffle'; got ${String(r.permutation)}`);
  if (!['interleaved', 'chunked'].includes(r.split)) throw new Error(`${where}: 'split' must be 'interleaved' or 'chunked'; got ${String(r.split)}`);
  return r;
}

class FlowStep {
  readonly actnorm: ActNorm;
  readonly permutation: Permutation;
  readonly coupling: Coupling;
  constructor(make: MakeWeight, prefix: string, c: number, cfg: Resolved, rng: Random) {
    this.actnorm = new ActNorm(make, `${prefix}/actnorm`, c);
    if (cfg.permutation === 'conv') this.permutation = new InvConv1x1(make, `${prefix}/invconv`, c, rng.seed());
    else if (cfg.permutation === 'lu') this.permutation = new InvConv1x1LU(make, `${prefix}/invconv`, c, rng.seed());
    else if (cfg.permutation === 'shuffle') this.permutation = new ShufflePermutation(make, `${prefix}/shuffle`, c, rng.seed());
    else this.permutation = new ReversePermutation();
    this.coupling = new Coupling(make, `${prefix}/f1`, c, cfg.width, cfg.coupling === 'affine', cfg.split, cfg.edgeBias, rng);
  }
  forward(x: tf.Tensor4D, ddi: boolean): { y: tf.Tensor4D; logdet: tf.Tensor } {
    if (ddi) this.actnorm.initFrom(x);
    const a = this.actnorm.forward(x);
    const p = this.permutation.forward(a.y);
    const c = this.coupling.forward(p.y, ddi);
    return { y: c.y, logdet: tf.add(tf.add(a.logdet, p.logdet), c.logdet) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    return this.actnorm.reverse(this.permutation.reverse(this.coupling.reverse(y)));
  }
}

/** Result of the encoding pass. */
export interface GlowFlowResult {
  /** Standardised latents per level (split-off parts, then the top), as openai's eps. */
  eps: tf.Tensor4D[];
  /** Raw latents per level (z2 of each split, then the top z) — the flow's output before the priors. */
  zs: tf.Tensor4D[];
  /** Σ log|det ∂z/∂x| of the flow, per sample [B]. */
  logdet: tf.Tensor1D;
  /** log p(z) under the priors, per sample [B]. */
  logpz: tf.Tensor1D;
}

/**
 * The whole Glow flow as one tfjs-layers layer (`GankitGlow`), so a model holding it saves and loads
 * with `saveModel`/`loadModel`. Input: preprocessed images [B, H, W, C] in [−½, ½]. Call output:
 * `[eps [B, D], bitsPerDim [B, 1]]`. Use {@link Glow} for encode/decode/sample.
 */
export class GlowLayer extends tfl.layers.Layer {
  static className = 'GankitGlow';
  readonly cfg: Resolved;
  private steps: FlowStep[][] = [];
  private splits: SplitPrior[] = [];
  private top: TopPrior | null = null;
  private initFlag: tfl.LayerVariable | null = null;
  /** [H, W, C] of the input. */
  imageShape: [number, number, number] = [0, 0, 0];

  constructor(args: GlowLayerArgs = {}) {
    super({ name: args.name });
    this.cfg = resolve('GlowLayer', args);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const [, h, w, c] = shape;
    const f = 2 ** this.cfg.levels;
    if (shape.length !== 4 || h == null || w == null || c == null || h % f !== 0 || w % f !== 0) {
      throw new Error(`GlowLayer: input must be [B, H, W, C] with H and W divisible by 2^levels = ${f}; got [${shape.join(', ')}]`);
    }
    this.imageShape = [h, w, c];
    const make: MakeWeight = (name, wshape, value, trainable = true) => {
      const v = this.addWeight(name, wshape, 'float32', tfl.initializers.zeros(), undefined, trainable);
      if (value) {
        v.write(value);
        value.dispose();
      }
      return v;
    };
    const rng = new Random(this.cfg.seed);
    let ch = c * 4;
    for (let i = 0; i < this.cfg.levels; i++) {
      const level: FlowStep[] = [];
      for (let j = 0; j < this.cfg.depth; j++) level.push(new FlowStep(make, `L${i}/S${j}`, ch, this.cfg, rng));
      this.steps.push(level);
      if (i < this.cfg.levels - 1) {
        this.splits.push(new SplitPrior(make, `pool${i}`, ch / 2, ch / 2, this.cfg.split, this.cfg.edgeBias));
        ch = (ch / 2) * 4;
      }
    }
    this.top = new TopPrior(make, 'prior', ch, this.cfg.learnTop, this.cfg.edgeBias);
    this.initFlag = make('initialized', [1], null, false);
    this.built = true;
  }

  /** Number of dimensions D = H·W·C. */
  get dimension(): number {
    return this.imageShape[0] * this.imageShape[1] * this.imageShape[2];
  }

  /** Shapes [h, w, c] of the per-level latents (split-off parts, then the top). */
  latentShapes(): [number, number, number][] {
    const [h0, w0, c0] = this.imageShape;
    const out: [number, number, number][] = [];
    let [h, w, c] = [h0 / 2, w0 / 2, c0 * 4];
    for (let i = 0; i < this.cfg.levels - 1; i++) {
      out.push([h, w, c / 2]);
      [h, w, c] = [h / 2, w / 2, (c / 2) * 4];
    }
    out.push([h, w, c]);
    return out;
  }

  get initialized(): boolean {
    return this.initFlag != null && this.initFlag.read().dataSync()[0] === 1;
  }

  private checkInput(where: string, x: tf.Tensor): void {
    const [h, w, c] = this.imageShape;
    if (x.rank !== 4 || x.shape[1] !== h || x.shape[2] !== w || x.shape[3] !== c) {
      throw new Error(`${where}: 'x' must have shape [*, ${h}, ${w}, ${c}]; got [${x.shape.join(', ')}]`);
    }
  }

  /**
   * The encoding pass. With `ddi`, every actnorm (in the steps and inside the coupling networks) is
   * first set from the activations it sees (openai's data-dependent init), then applied.
   */
  flow(x: tf.Tensor, ddi = false): GlowFlowResult {
    this.checkInput('GlowLayer.flow', x);
    if (!ddi && !this.initialized) throw new Error('GlowLayer.flow: the flow is not initialised; call Glow.initialize(x) with a data batch first (data-dependent actnorm init)');
    return tf.tidy(() => {
      const b = x.shape[0];
      let z = squeeze2d(x);
      let logdet = tf.zeros([b]) as tf.Tensor1D;
      let logpz = tf.zeros([b]) as tf.Tensor1D;
      const eps: tf.Tensor4D[] = [];
      const zs: tf.Tensor4D[] = [];
      for (let i = 0; i < this.cfg.levels; i++) {
        for (const step of this.steps[i]) {
          const r = step.forward(z, ddi);
          z = r.y;
          logdet = tf.add(logdet, r.logdet);
        }
        if (i < this.cfg.levels - 1) {
          const half = z.shape[3] / 2;
          const z1 = channels(z, 0, half);
          const z2 = channels(z, half, half);
          const [mean, logs] = this.splits[i].meanLogs(z1);
          logpz = tf.add(logpz, gaussianLogp(z2, mean, logs));
          eps.push(tf.mul(tf.sub(z2, mean), tf.exp(tf.neg(logs))) as tf.Tensor4D);
          zs.push(z2);
          z = squeeze2d(z1);
        }
      }
      const [mean, logs] = this.top!.meanLogs(b, z.shape[1], z.shape[2]);
      logpz = tf.add(logpz, gaussianLogp(z, mean, logs));
      eps.push(tf.mul(tf.sub(z, mean), tf.exp(tf.neg(logs))) as tf.Tensor4D);
      zs.push(z);
      if (ddi) this.initFlag!.write(tf.ones([1]));
      return { eps, zs, logdet, logpz };
    });
  }

  /** The decoding pass from standardised latents per level (openai `decoder` with given eps). */
  reverseFlow(eps: tf.Tensor[]): tf.Tensor4D {
    const shapes = this.latentShapes();
    if (eps.length !== shapes.length) throw new Error(`GlowLayer.reverseFlow: 'eps' must hold ${shapes.length} tensors (one per level); got ${eps.length}`);
    const b = eps[0].shape[0];
    eps.forEach((e, i) => {
      const [h, w, c] = shapes[i];
      if (e.rank !== 4 || e.shape[0] !== b || e.shape[1] !== h || e.shape[2] !== w || e.shape[3] !== c) {
        throw new Error(`GlowLayer.reverseFlow: 'eps[${i}]' must have shape [${b}, ${h}, ${w}, ${c}]; got [${e.shape.join(', ')}]`);
      }
    });
    if (!this.initialized) throw new Error('GlowLayer.reverseFlow: the flow is not initialised; call Glow.initialize(x) with a data batch first');
    return tf.tidy(() => {
      const L = this.cfg.levels;
      const topEps = eps[L - 1] as tf.Tensor4D;
      const [mean, logs] = this.top!.meanLogs(b, topEps.shape[1], topEps.shape[2]);
      let z = tf.add(mean, tf.mul(tf.exp(logs), topEps)) as tf.Tensor4D;
      for (let i = L - 1; i >= 0; i--) {
        if (i < L - 1) {
          const z1 = unsqueeze2d(z);
          const [m, s] = this.splits[i].meanLogs(z1);
          const z2 = tf.add(m, tf.mul(tf.exp(s), eps[i]));
          z = tf.concat([z1, z2], 3) as tf.Tensor4D;
        }
        for (let j = this.steps[i].length - 1; j >= 0; j--) z = this.steps[i][j].reverse(z);
      }
      return unsqueeze2d(z);
    });
  }

  /** Per-sample objective −log(n_bins)·D + log-det + log p(z), from a flow result. */
  objective(r: GlowFlowResult): tf.Tensor1D {
    const nBins = 2 ** this.cfg.nBits;
    return tf.add(tf.add(-Math.log(nBins) * this.dimension, r.logdet), r.logpz) as tf.Tensor1D;
  }

  /** Flatten per-level tensors [B, h, w, c] into [B, D] (level order). */
  flatten(parts: tf.Tensor[]): tf.Tensor2D {
    return tf.tidy(() => tf.concat(parts.map((p) => tf.reshape(p, [p.shape[0], -1])), 1) as tf.Tensor2D);
  }

  /** Split [B, D] into the per-level shapes. */
  unflatten(flat: tf.Tensor): tf.Tensor4D[] {
    const shapes = this.latentShapes();
    const d = this.dimension;
    if (flat.rank !== 2 || flat.shape[1] !== d) throw new Error(`GlowLayer.unflatten: latent must have shape [*, ${d}]; got [${flat.shape.join(', ')}]`);
    const sizes = shapes.map(([h, w, c]) => h * w * c);
    const parts = tf.split(flat, sizes, 1);
    return parts.map((p, i) => {
      const r = tf.reshape(p, [flat.shape[0], ...shapes[i]]) as tf.Tensor4D;
      p.dispose();
      return r;
    });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape[] {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const d = s[1] != null && s[2] != null && s[3] != null ? s[1] * s[2] * s[3] : null;
    return [
      [s[0], d],
      [s[0], 1],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => {
      const r = this.flow(x);
      const bits = tf.div(tf.neg(this.objective(r)), Math.LN2 * this.dimension);
      return [this.flatten(r.eps), tf.reshape(bits, [-1, 1])];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.cfg };
  }
}

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
  const cfg = resolve(where, config);
  const f = 2 ** cfg.levels;
  if (imageShape[0] % f !== 0 || imageShape[1] % f !== 0) {
    throw new Error(`${where}: H and W must be divisible by 2^levels = ${f}; got [${imageShape.join(', ')}]`);
  }
  const x = tfl.input({ shape: imageShape, name: 'x' });
  const layer = new GlowLayer({ ...cfg, name: 'glow' });
  const outs = layer.apply(x) as tfl.SymbolicTensor[];
  return new Glow(tfl.model({ inputs: x, outputs: outs, name: 'glow_model' }));
}
