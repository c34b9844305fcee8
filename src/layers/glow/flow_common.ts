import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Random } from '../../util/random.js';
import { edgePad } from './ops.js';

/**
 * Shared pieces of Glow's flow components (openai/glow model.py + tfops.py; rosinality/glow-pytorch
 * model.py). The components are not tfjs layers themselves: the `GankitGlow` layer owns every
 * weight (so one registered class serialises the whole flow) and hands each component a {@link MakeWeight}.
 */

/** Create a weight on the owning layer: `value` null ⇒ zeros. */
export type MakeWeight = (name: string, shape: number[], value: tf.Tensor | null, trainable?: boolean) => tfl.LayerVariable;

export interface FlowOut {
  y: tf.Tensor4D;
  /** Per-sample log-determinant increment ([B] or a scalar). */
  logdet: tf.Tensor;
}

export const LOGSCALE_FACTOR = 3;

export function normalInit(shape: number[], std: number, rng: Random): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(rng.normalArray(n, 0, std), shape);
}

export function matmulChannels(x: tf.Tensor4D, w: tf.Tensor2D): tf.Tensor4D {
  const [b, h, wd, c] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [b * h * wd, c]), w), [b, h, wd, c]) as tf.Tensor4D;
}

/** 3×3 (or 1×1) conv, stride 1: edge-bias padding (openai) or zero 'same' padding. */
export function conv(x: tf.Tensor4D, w: tf.Tensor, kernel: number, edgeBias: boolean): tf.Tensor4D {
  if (kernel === 1) return tf.conv2d(x, w as tf.Tensor4D, 1, 'valid');
  return edgeBias ? tf.conv2d(edgePad(x), w as tf.Tensor4D, 1, 'valid') : tf.conv2d(x, w as tf.Tensor4D, 1, 'same');
}
