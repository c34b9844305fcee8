import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '../../util/random.js';
import { ActNorm } from './actnorm.js';
import type { ResolvedGlowConfig } from './config.js';
import { Coupling } from './coupling.js';
import type { MakeWeight } from './flow_common.js';
import { InvConv1x1, InvConv1x1LU, type Permutation, ReversePermutation, ShufflePermutation } from './permutations.js';

/** One Glow flow step (openai `revnet2d_step`): actnorm → permutation → coupling. */
export class FlowStep {
  readonly actnorm: ActNorm;
  readonly permutation: Permutation;
  readonly coupling: Coupling;
  constructor(make: MakeWeight, prefix: string, c: number, cfg: ResolvedGlowConfig, rng: Random) {
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
