import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { inverse, logAbsDetOp, luFactors, randomOrthogonal } from './linalg.js';
import { channels, edgePad, splitChunked, splitInterleaved } from './ops.js';
import { Random } from '../../util/random.js';

/**
 * Glow's flow components (openai/glow model.py + tfops.py; rosinality/glow-pytorch model.py).
 * They are not tfjs layers themselves: the `GankitGlow` layer owns every weight (so one
 * registered class serialises the whole flow) and hands each component a {@link MakeWeight}.
 */

/** Create a weight on the owning layer: `value` null ⇒ zeros. */
export type MakeWeight = (name: string, shape: number[], value: tf.Tensor | null, trainable?: boolean) => tfl.LayerVariable;

export interface FlowOut {
  y: tf.Tensor4D;
  /** Per-sample log-determinant increment ([B] or a scalar). */
  logdet: tf.Tensor;
}

const LOGSCALE_FACTOR = 3;

function normalInit(shape: number[], std: number, rng: Random): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.normalArray(n, 0, std), shape);
}

/**
 * Actnorm (openai/glow tfops.py `actnorm`): y = (x + b)·exp(logs), logs = logs_param·3; data-dependent
 * init b = −mean, logs = log(1/(√mean((x + b)²) + 1e-6)) over batch and space; log-det H·W·Σ logs.
 */
export class ActNorm {
  private readonly b: tfl.LayerVariable;
  private readonly logsParam: tfl.LayerVariable;
  constructor(make: MakeWeight, prefix: string, readonly numChannels: number) {
    this.b = make(`${prefix}/b`, [numChannels], null);
    this.logsParam = make(`${prefix}/logs`, [numChannels], null);
  }
  logs(): tf.Tensor1D {
    return tf.mul(this.logsParam.read(), LOGSCALE_FACTOR) as tf.Tensor1D;
  }
  /** Data-dependent initialisation from an activation batch. */
  initFrom(x: tf.Tensor4D): void {
    tf.tidy(() => {
      const mean = tf.mean(x, [0, 1, 2]);
      const b = tf.neg(mean);
      const variance = tf.mean(tf.square(tf.add(x, b)), [0, 1, 2]);
      const logs = tf.log(tf.div(1, tf.add(tf.sqrt(variance), 1e-6)));
      this.b.write(b);
      this.logsParam.write(tf.div(logs, LOGSCALE_FACTOR));
    });
  }
  forward(x: tf.Tensor4D): FlowOut {
    const logs = this.logs();
    const y = tf.mul(tf.add(x, this.b.read()), tf.exp(logs)) as tf.Tensor4D;
    return { y, logdet: tf.mul(tf.sum(logs), x.shape[1] * x.shape[2]) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    return tf.sub(tf.mul(y, tf.exp(tf.neg(this.logs()))), this.b.read()) as tf.Tensor4D;
  }
}

function matmulChannels(x: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
  const [b, h, wd, c] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [b * h * wd, c]), w), [b, h, wd, c]) as tf.Tensor4D;
}

/** A channel permutation step: `forward`, `reverse`, and log-det. */
export interface Permutation {
  forward(x: tf.Tensor4D): FlowOut;
  reverse(y: tf.Tensor4D): tf.Tensor4D;
}

/**
 * Invertible 1×1 convolution, plain (openai/glow `invertible_1x1_conv`, the default branch):
 * y = x·W per pixel (NHWC conv with a [1, 1, C, C] kernel), W initialised to a random orthogonal
 * matrix, log-det H·W·log|det W| in float64 (gradient W⁻ᵀ).
 */
export class InvConv1x1 implements Permutation {
  private readonly w: tfl.LayerVariable;
  constructor(make: MakeWeight, prefix: string, readonly numChannels: number, seed: number) {
    this.w = make(`${prefix}/W`, [numChannels, numChannels], tf.tensor2d(Float32Array.from(randomOrthogonal(numChannels, seed)), [numChannels, numChannels]));
  }
  weight(): tf.Tensor2D {
    return this.w.read() as tf.Tensor2D;
  }
  forward(x: tf.Tensor4D): FlowOut {
    const w = this.weight();
    return { y: matmulChannels(x, w), logdet: tf.mul(logAbsDetOp(w), x.shape[1] * x.shape[2]) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    const c = this.numChannels;
    const inv = tf.tensor2d(Float32Array.from(inverse(this.weight().dataSync(), c, 'InvConv1x1.reverse')), [c, c]);
    return matmulChannels(y, inv);
  }
}

/**
 * LU-decomposed invertible 1×1 convolution (openai/glow's disabled branch; rosinality's default
 * `InvConv2dLU`): W = P·(L∘M_lower + I)·(U∘M_upper + diag(sign_s·exp(log_s))); P and sign_s fixed;
 * log-det H·W·Σ log_s. Initialised from the LU factors of a random orthogonal matrix.
 */
export class InvConv1x1LU implements Permutation {
  private readonly p: tfl.LayerVariable;
  private readonly l: tfl.LayerVariable;
  private readonly u: tfl.LayerVariable;
  private readonly signS: tfl.LayerVariable;
  private readonly logS: tfl.LayerVariable;
  private readonly lowerMask: Float32Array;
  constructor(make: MakeWeight, prefix: string, readonly numChannels: number, seed: number) {
    const c = numChannels;
    const { p, l, u } = luFactors(randomOrthogonal(c, seed), c);
    const diag = new Float32Array(c);
    const upper = new Float32Array(c * c);
    const lower = new Float32Array(c * c);
    for (let i = 0; i < c; i++) {
      diag[i] = u[i * c + i];
      for (let j = 0; j < c; j++) {
        if (j > i) upper[i * c + j] = u[i * c + j];
        if (j < i) lower[i * c + j] = l[i * c + j];
      }
    }
    this.p = make(`${prefix}/P`, [c, c], tf.tensor2d(Float32Array.from(p), [c, c]), false);
    this.l = make(`${prefix}/L`, [c, c], tf.tensor2d(lower, [c, c]));
    this.u = make(`${prefix}/U`, [c, c], tf.tensor2d(upper, [c, c]));
    this.signS = make(`${prefix}/sign_S`, [c], tf.tensor1d(Array.from(diag, Math.sign)), false);
    this.logS = make(`${prefix}/log_S`, [c], tf.tensor1d(Array.from(diag, (v) => Math.log(Math.abs(v)))));
    const lm = new Float32Array(c * c);
    for (let i = 0; i < c; i++) for (let j = 0; j < i; j++) lm[i * c + j] = 1;
    this.lowerMask = lm;
  }
  weight(): tf.Tensor2D {
    const c = this.numChannels;
    return tf.tidy(() => {
      const lowerMask = tf.tensor2d(this.lowerMask, [c, c]);
      const eye = tf.eye(c);
      const l = tf.add(tf.mul(this.l.read(), lowerMask), eye);
      const d = tf.mul(eye, tf.reshape(tf.mul(this.signS.read(), tf.exp(this.logS.read())), [1, c]));
      const u = tf.add(tf.mul(this.u.read(), tf.transpose(lowerMask)), d);
      return tf.matMul(this.p.read() as tf.Tensor2D, tf.matMul(l, u));
    });
  }
  forward(x: tf.Tensor4D): FlowOut {
    return { y: matmulChannels(x, this.weight()), logdet: tf.mul(tf.sum(this.logS.read()), x.shape[1] * x.shape[2]) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    const c = this.numChannels;
    const w = this.weight();
    const inv = tf.tensor2d(Float32Array.from(inverse(w.dataSync(), c, 'InvConv1x1LU.reverse')), [c, c]);
    w.dispose();
    return matmulChannels(y, inv);
  }
}

/** openai/glow `reverse_features` (flow_permutation 0): reverse the channel order; log-det 0. */
export class ReversePermutation implements Permutation {
  forward(x: tf.Tensor4D): FlowOut {
    return { y: tf.reverse(x, 3), logdet: tf.scalar(0) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    return tf.reverse(y, 3);
  }
}

/**
 * openai/glow `shuffle_features` (flow_permutation 1): a fixed random channel permutation (seeded),
 * stored as a non-trainable weight so it survives save/load; applied as a product with the
 * permutation matrix (differentiable on every backend); log-det 0.
 */
export class ShufflePermutation implements Permutation {
  private readonly indices: tfl.LayerVariable;
  constructor(make: MakeWeight, prefix: string, readonly numChannels: number, seed: number) {
    const perm = new Random(seed).permutation(numChannels);
    this.indices = make(`${prefix}/indices`, [numChannels], tf.tensor1d(Array.from(perm)), false);
  }
  /** P with P[perm[j], j] = 1, so (x·P)[j] = x[perm[j]]. */
  private matrix(inverse: boolean): tf.Tensor2D {
    const c = this.numChannels;
    const perm = this.indices.read().dataSync();
    const m = new Float32Array(c * c);
    for (let j = 0; j < c; j++) {
      const i = Math.round(perm[j]);
      if (inverse) m[j * c + i] = 1;
      else m[i * c + j] = 1;
    }
    return tf.tensor2d(m, [c, c]);
  }
  forward(x: tf.Tensor4D): FlowOut {
    return { y: matmulChannels(x, this.matrix(false)), logdet: tf.scalar(0) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    return matmulChannels(y, this.matrix(true));
  }
}

function conv(x: tf.Tensor4D, w: tf.Tensor, kernel: number, edgeBias: boolean): tf.Tensor4D {
  if (kernel === 1) return tf.conv2d(x, w as tf.Tensor4D, 1, 'valid');
  return edgeBias ? tf.conv2d(edgePad(x), w as tf.Tensor4D, 1, 'valid') : tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
}

/** openai/glow tfops `conv2d` (do_actnorm): bias-free conv (N(0, 0.05) init, edge-bias SAME padding) followed by actnorm. */
export class ActnormConv {
  private readonly w: tfl.LayerVariable;
  private readonly norm: ActNorm;
  constructor(make: MakeWeight, prefix: string, inChannels: number, width: number, readonly kernel: 1 | 3, readonly edgeBias: boolean, rng: Random) {
    const cin = inChannels + (kernel === 3 && edgeBias ? 1 : 0);
    this.w = make(`${prefix}/W`, [kernel, kernel, cin, width], normalInit([kernel, kernel, cin, width], 0.05, rng));
    this.norm = new ActNorm(make, `${prefix}/actnorm`, width);
  }
  apply(x: tf.Tensor4D, ddi: boolean): tf.Tensor4D {
    const h = conv(x, this.w.read(), this.kernel, this.edgeBias);
    if (ddi) this.norm.initFrom(h);
    return this.norm.forward(h).y;
  }
}

/** openai/glow tfops `conv2d_zeros`: zero-initialised 3×3 conv + bias, output scaled by exp(3·logs). */
export class ZeroConv {
  private readonly w: tfl.LayerVariable;
  private readonly b: tfl.LayerVariable;
  private readonly logs: tfl.LayerVariable;
  constructor(make: MakeWeight, prefix: string, inChannels: number, readonly outChannels: number, readonly edgeBias: boolean) {
    const cin = inChannels + (edgeBias ? 1 : 0);
    this.w = make(`${prefix}/W`, [3, 3, cin, outChannels], null);
    this.b = make(`${prefix}/b`, [outChannels], null);
    this.logs = make(`${prefix}/logs`, [outChannels], null);
  }
  apply(x: tf.Tensor4D): tf.Tensor4D {
    const h = tf.add(conv(x, this.w.read(), 3, this.edgeBias), this.b.read());
    return tf.mul(h, tf.exp(tf.mul(this.logs.read(), LOGSCALE_FACTOR))) as tf.Tensor4D;
  }
}

/** Channel-split convention: 'interleaved' (openai: h[..., 0::2], h[..., 1::2]) or 'chunked' (rosinality: chunk(2)). */
export type ChannelSplit = 'interleaved' | 'chunked';

/**
 * Coupling layer (openai/glow `revnet2d_step`): z1 = first half of the channels conditions z2.
 * f = conv3×3(width)+actnorm → ReLU → conv1×1(width)+actnorm → ReLU → conv2d_zeros.
 * Additive: z2 += f(z1). Affine: h = f(z1), shift/scale split per `split` ('interleaved':
 * shift = h[..., 0::2], scale = σ(h[..., 1::2] + 2); 'chunked' as rosinality: log_s, t = chunk(h),
 * scale = σ(log_s + 2), shift = t); z2 = (z2 + shift)·scale; log-det Σ log scale.
 */
export class Coupling {
  private readonly c1: ActnormConv;
  private readonly c2: ActnormConv;
  private readonly c3: ZeroConv;
  constructor(
    make: MakeWeight,
    prefix: string,
    readonly numChannels: number,
    width: number,
    readonly affine: boolean,
    readonly split: ChannelSplit,
    edgeBias: boolean,
    rng: Random,
  ) {
    const half = numChannels / 2;
    this.c1 = new ActnormConv(make, `${prefix}/l_1`, half, width, 3, edgeBias, rng);
    this.c2 = new ActnormConv(make, `${prefix}/l_2`, width, width, 1, edgeBias, rng);
    this.c3 = new ZeroConv(make, `${prefix}/l_last`, width, affine ? numChannels : half, edgeBias);
  }
  private f(z1: tf.Tensor4D, ddi: boolean): tf.Tensor4D {
    return this.c3.apply(tf.relu(this.c2.apply(tf.relu(this.c1.apply(z1, ddi)), ddi)));
  }
  private shiftScale(h: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
    if (this.split === 'interleaved') {
      const [shift, raw] = splitInterleaved(h);
      return [shift, tf.sigmoid(tf.add(raw, 2)) as tf.Tensor4D];
    }
    const [raw, shift] = splitChunked(h);
    return [shift, tf.sigmoid(tf.add(raw, 2)) as tf.Tensor4D];
  }
  forward(x: tf.Tensor4D, ddi = false): FlowOut {
    const half = this.numChannels / 2;
    const z1 = channels(x, 0, half);
    const z2 = channels(x, half, half);
    const h = this.f(z1, ddi);
    if (!this.affine) return { y: tf.concat([z1, tf.add(z2, h)], 3) as tf.Tensor4D, logdet: tf.scalar(0) };
    const [shift, scale] = this.shiftScale(h);
    const y2 = tf.mul(tf.add(z2, shift), scale);
    return { y: tf.concat([z1, y2], 3) as tf.Tensor4D, logdet: tf.sum(tf.log(scale), [1, 2, 3]) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    const half = this.numChannels / 2;
    const z1 = channels(y, 0, half);
    const y2 = channels(y, half, half);
    const h = this.f(z1, false);
    if (!this.affine) return tf.concat([z1, tf.sub(y2, h)], 3) as tf.Tensor4D;
    const [shift, scale] = this.shiftScale(h);
    return tf.concat([z1, tf.sub(tf.div(y2, scale), shift)], 3) as tf.Tensor4D;
  }
}

/**
 * Learned Gaussian prior of a split (openai/glow `split2d_prior`): h = conv2d_zeros(z1, 2·C2),
 * mean/logs split per `split` ('interleaved' as openai: mean = h[..., 0::2], logs = h[..., 1::2];
 * 'chunked' as rosinality).
 */
export class SplitPrior {
  private readonly conv: ZeroConv;
  constructor(make: MakeWeight, prefix: string, inChannels: number, outChannels: number, readonly split: ChannelSplit, edgeBias: boolean) {
    this.conv = new ZeroConv(make, `${prefix}/conv`, inChannels, 2 * outChannels, edgeBias);
  }
  meanLogs(z1: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
    const h = this.conv.apply(z1);
    return this.split === 'interleaved' ? splitInterleaved(h) : splitChunked(h);
  }
}

/**
 * Top prior (openai/glow `prior`): h = zeros [B, h, w, 2C], optionally `conv2d_zeros(h)` (learntop);
 * mean = h[..., :C], logs = h[..., C:] (chunked in openai too).
 */
export class TopPrior {
  private readonly conv: ZeroConv | null;
  constructor(make: MakeWeight, prefix: string, readonly numChannels: number, learnTop: boolean, edgeBias: boolean) {
    this.conv = learnTop ? new ZeroConv(make, `${prefix}/p`, 2 * numChannels, 2 * numChannels, edgeBias) : null;
  }
  meanLogs(batch: number, h: number, w: number): [tf.Tensor4D, tf.Tensor4D] {
    let p = tf.zeros([batch, h, w, 2 * this.numChannels]) as tf.Tensor4D;
    if (this.conv) p = this.conv.apply(p);
    return splitChunked(p);
  }
}
