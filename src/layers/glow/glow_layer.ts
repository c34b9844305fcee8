import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Random } from '../../util/random.js';
import { singleInput, singleInputShape, type LayerArgs } from '../common.js';
import { type GlowConfig, type ResolvedGlowConfig, resolveGlowConfig } from './config.js';
import type { MakeWeight } from './flow_common.js';
import { FlowStep } from './flow_step.js';
import { channels, gaussianLogp, squeeze2d, unsqueeze2d } from './ops.js';
import { SplitPrior, TopPrior } from './priors.js';

/** Arguments of {@link GlowLayer}: the tfjs base layer arguments plus the flow's {@link GlowConfig}. */
export interface GlowLayerArgs extends LayerArgs, GlowConfig {}

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
  readonly cfg: ResolvedGlowConfig;
  private steps: FlowStep[][] = [];
  private splits: SplitPrior[] = [];
  private top: TopPrior | null = null;
  private initFlag: tfl.LayerVariable | null = null;
  /**
   * The flag's variable and the data it held when it was last known to be 1. A tensor's data never
   * changes under one dataId, and every way of replacing a weight (setWeights, loadWeights /
   * loadModel, Variable.assign, Trainer.setState) gives the variable a new dataId: so the cache is
   * invalidated by any replacement and `initialized` reads the host only when the flag changed.
   */
  private initKnown: { variable: tf.Tensor; dataId: object } | null = null;
  /** [H, W, C] of the input. */
  imageShape: [number, number, number] = [0, 0, 0];

  constructor(args: GlowLayerArgs = {}) {
    super(args);
    this.cfg = resolveGlowConfig('GlowLayer', args);
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = singleInputShape('GlowLayer', inputShape);
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

  /**
   * Whether the data-dependent init has run. Checked on every flow/call, so it reads the flag's
   * value once and then answers from a host-side cache (no device→host sync per call on GPU
   * backends) until the flag's data is replaced (see `initKnown`).
   */
  get initialized(): boolean {
    if (this.initFlag == null) return false;
    const v = this.initFlag.read();
    if (this.initKnown != null && this.initKnown.variable === v && this.initKnown.dataId === v.dataId) return true;
    const ok = v.dataSync()[0] === 1;
    this.initKnown = ok ? { variable: v, dataId: v.dataId } : null;
    return ok;
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
      if (ddi) {
        this.initFlag!.write(tf.ones([1]));
        const v = this.initFlag!.read();
        this.initKnown = { variable: v, dataId: v.dataId }; // known to be 1: no read needed
      }
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
    return tf.tidy(
      () =>
        tf.concat(
          parts.map((p) => tf.reshape(p, [p.shape[0], -1])),
          1,
        ) as tf.Tensor2D,
    );
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
    const s = singleInputShape('GlowLayer', inputShape);
    const d = s[1] != null && s[2] != null && s[3] != null ? s[1] * s[2] * s[3] : null;
    return [
      [s[0], d],
      [s[0], 1],
    ];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
    const x = singleInput('GlowLayer', inputs);
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
