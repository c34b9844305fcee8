import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { listInput, type LayerArgs } from './common.js';

/**
 * Fade-in between the old (lower-resolution) path and the new block: old + (new − old)·α with
 * α ∈ [0, 1] held in a non-trainable weight (Progressive GAN networks.py `lerp_clip(new, old,
 * lod_in − lod)` with α = 1 − frac(lod)). Inputs `[old, new]`.
 */
export class FadeIn extends tfl.layers.Layer {
  static className = 'GankitFadeIn';
  private alphaVar: tfl.LayerVariable | null = null;
  constructor(args: LayerArgs = {}) {
    super(args);
  }
  override build(): void {
    this.alphaVar = this.addWeight('alpha', [], 'float32', tfl.initializers.zeros(), undefined, false);
    this.built = true;
  }
  /** α, read on the host: for schedules and logs, not for a training step. */
  get alpha(): number {
    return this.alphaVar ? this.alphaVar.read().dataSync()[0] : 0;
  }
  setAlpha(alpha: number): void {
    if (!(alpha >= 0 && alpha <= 1)) throw new Error(`FadeIn.setAlpha: 'alpha' must be in [0, 1]; got ${alpha}`);
    if (!this.built) this.build();
    tf.tidy(() => {
      this.alphaVar!.write(tf.scalar(alpha));
    });
  }
  override computeOutputShape(s: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (s as tfl.Shape[])[0];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [oldT, newT] = listInput('FadeIn', inputs, 2, 'old, new');
    if (!tf.util.arraysEqual(oldT.shape, newT.shape)) throw new Error(`FadeIn: 'old' and 'new' must have the same shape; got [${oldT.shape.join(', ')}] and [${newT.shape.join(', ')}]`);
    return tf.tidy(() => tf.add(oldT, tf.mul(tf.sub(newT, oldT), this.alphaVar!.read())));
  }
}
