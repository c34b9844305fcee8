import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { matrixInverse as inverse, logAbsDet, luFactors, randomOrthogonal } from '../../linalg/index.js';
import { Random } from '../../util/random.js';
import { type FlowOut, type MakeWeight, matmulChannels } from './flow_common.js';

/**
 * A host-side value derived from weights' data (a float64 inverse or log-det, a permutation), kept
 * until one of the weights gets new data. A tensor's data never changes under one dataId, and
 * every write (an optimizer step, setWeights, loadModel, Variable.assign) gives the variable a new
 * one: so after training, encode/decode/sample read nothing from the device, while a training step
 * still reads each changed W once (the float64 log-det, as openai/glow computes it).
 */
class HostCache<T> {
  private ids: object[] | null = null;
  private value: T | undefined;
  get(tensors: tf.Tensor[], compute: () => T): T {
    const ids = tensors.map((t) => t.dataId);
    if (this.ids == null || this.ids.length !== ids.length || this.ids.some((d, i) => d !== ids[i])) {
      this.value = compute();
      this.ids = ids;
    }
    return this.value as T;
  }
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
  /** log|det W| (float64 LU) and W⁻¹ of the weight's current data. */
  private readonly host = new HostCache<{ logdet: number; inv: Float32Array }>();
  /** log|det W| as a differentiable op (gradient W⁻ᵀ), from the cache. */
  private readonly logAbsDetOp: (w: tf.Tensor2D) => tf.Scalar;
  constructor(
    make: MakeWeight,
    prefix: string,
    readonly numChannels: number,
    seed: number,
  ) {
    this.w = make(`${prefix}/W`, [numChannels, numChannels], tf.tensor2d(Float32Array.from(randomOrthogonal(numChannels, seed)), [numChannels, numChannels]));
    const c = numChannels;
    this.logAbsDetOp = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const { logdet, inv } = this.fromHost(args[0] as tf.Tensor, 'InvConv1x1.forward');
      const save = args[1] as tf.GradSaveFunc;
      save([tf.transpose(tf.tensor2d(inv, [c, c]))]);
      return { value: tf.scalar(logdet), gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => [tf.mul(dy, saved[0])] };
    }) as Parameters<typeof tf.customGrad>[0]) as unknown as (w: tf.Tensor2D) => tf.Scalar;
  }
  private fromHost(w: tf.Tensor, where: string): { logdet: number; inv: Float32Array } {
    const c = this.numChannels;
    return this.host.get([w], () => {
      const data = w.dataSync();
      return { logdet: logAbsDet(data, c), inv: Float32Array.from(inverse(data, c, where)) };
    });
  }
  weight(): tf.Tensor2D {
    return this.w.read() as tf.Tensor2D;
  }
  forward(x: tf.Tensor4D): FlowOut {
    const w = this.weight();
    return { y: matmulChannels(x, w), logdet: tf.mul(this.logAbsDetOp(w), x.shape[1] * x.shape[2]) };
  }
  reverse(y: tf.Tensor4D): tf.Tensor4D {
    const c = this.numChannels;
    const inv = tf.tensor2d(this.fromHost(this.weight(), 'InvConv1x1.reverse').inv, [c, c]);
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
  /** W⁻¹ for the current data of P, L, U, sign_s and log_s. */
  private readonly host = new HostCache<Float32Array>();
  constructor(
    make: MakeWeight,
    prefix: string,
    readonly numChannels: number,
    seed: number,
  ) {
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
    const factors = [this.p, this.l, this.u, this.signS, this.logS].map((v) => v.read());
    const data = this.host.get(factors, () => {
      const w = this.weight();
      try {
        return Float32Array.from(inverse(w.dataSync(), c, 'InvConv1x1LU.reverse'));
      } finally {
        w.dispose();
      }
    });
    return matmulChannels(y, tf.tensor2d(data, [c, c]));
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
  private readonly host = new HostCache<Float32Array | Int32Array | Uint8Array>();
  constructor(
    make: MakeWeight,
    prefix: string,
    readonly numChannels: number,
    seed: number,
  ) {
    const perm = new Random(seed).permutation(numChannels);
    this.indices = make(`${prefix}/indices`, [numChannels], tf.tensor1d(Array.from(perm)), false);
  }
  /** P with P[perm[j], j] = 1, so (x·P)[j] = x[perm[j]]. */
  private matrix(inverse: boolean): tf.Tensor2D {
    const c = this.numChannels;
    const indices = this.indices.read();
    const perm = this.host.get([indices], () => indices.dataSync());
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
