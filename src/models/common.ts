import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Random } from '../util/random.js';
import { assertPositiveInteger } from '../util/validate.js';
import type { Initializer } from '../layers/common.js';

export type { Initializer };

/**
 * Helpers shared by the model builders: seeded initialisers, parameter counting and input checks
 * that name the function, the argument and the expected and actual shapes.
 */

/** A deterministic stream of per-layer initialiser seeds derived from one builder seed. */
export class SeedStream {
  private readonly rng: Random;
  constructor(seed: number) {
    this.rng = new Random(seed);
  }
  next(): number {
    return this.rng.seed();
  }
  /** N(mean, std) kernel initialiser with the next seed (DCGAN / GANimation / HoloGAN use N(0, 0.02)). */
  normal(std: number, mean = 0): Initializer {
    return tfl.initializers.randomNormal({ mean, stddev: std, seed: this.next() });
  }
  /** Truncated N(mean, std) initialiser with the next seed (HoloGAN's spectral-norm u: truncated N(0, 1)). */
  truncatedNormal(std: number, mean = 0): Initializer {
    return tfl.initializers.truncatedNormal({ mean, stddev: std, seed: this.next() });
  }
  glorotNormal(): Initializer {
    return tfl.initializers.glorotNormal({ seed: this.next() });
  }
  /** PyTorch's default Conv/Linear init: kaiming_uniform(a=√5) ⇒ U(±1/√fan_in) for weights. */
  torchDefault(): Initializer {
    return tfl.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: this.next() });
  }
  /** PyTorch's default bias init: U(±1/√fan_in) (fan_in = in·k·k for conv, out·k·k for transposed conv, in for linear). */
  torchBias(fanIn: number): Initializer {
    const b = 1 / Math.sqrt(fanIn);
    return tfl.initializers.randomUniform({ minval: -b, maxval: b, seed: this.next() });
  }
}

/** Number of trainable scalars (what PyTorch's `sum(p.numel() for p in m.parameters())` reports). */
export function countTrainableParams(model: tfl.LayersModel | tfl.layers.Layer): number {
  return model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b as number), 1), 0);
}

/** Every variable of a model (trainable first), for `optimizer.minimize(f, true, vars)`. */
export function trainableVariables(model: tfl.LayersModel | tfl.layers.Layer): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Check a tensor against a model's declared input shape (batch free) and throw an Error naming
 * `where`, the argument, the expected and the actual shape.
 */
export function assertModelInput(where: string, name: string, x: tf.Tensor, model: tfl.LayersModel, inputIndex = 0): void {
  const declared = model.inputs[inputIndex].shape;
  assertShapeLike(where, name, x, declared);
}

export function assertShapeLike(where: string, name: string, x: tf.Tensor, declared: readonly (number | null)[]): void {
  const ok = x.rank === declared.length && declared.every((d, i) => i === 0 || d == null || d === x.shape[i]);
  if (!ok) {
    const want = declared.map((d, i) => (i === 0 || d == null ? '*' : String(d))).join(', ');
    throw new Error(`${where}: '${name}' must have shape [${want}]; got [${x.shape.join(', ')}]`);
  }
}

/** `size` must be 4·2^k with k ≥ 1 (8, 16, 32, 64, …); returns k. */
export function log2Stages(where: string, name: string, size: number, base = 4): number {
  assertPositiveInteger(where, name, size);
  const k = Math.log2(size / base);
  if (!Number.isInteger(k) || k < 1) throw new Error(`${where}: '${name}' must be ${base}·2^k with k ≥ 1 (e.g. ${base * 2}, ${base * 4}, ${base * 16}); got ${size}`);
  return k;
}

/** Apply a layer to a symbolic tensor with a typed result. */
export function ap(layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]): tfl.SymbolicTensor {
  return layer.apply(x) as tfl.SymbolicTensor;
}
