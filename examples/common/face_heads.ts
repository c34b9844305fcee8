/**
 * Training of the frozen "judges" the face reproductions use (document 000: the AU regressor and the
 * identity embedding of the steering loss; document 004: an AU regressor independent of the GANimation
 * critic, to score edited faces). The models are gankit's heads (src/models/heads.ts); this file only
 * runs their training on synthetic-face ground truth, over explicit variable lists.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildAuRegressor, buildIdentityEmbedding, tripletLoss, trainableVariables } from '../../src/models/index.js';
import { Adam } from '../../src/train/index.js';
import { Random } from '../../src/index.js';
import { takeRows } from './train_helpers.js';

export interface TrainedHead {
  model: tfl.LayersModel;
  /** Training loss per step. */
  losses: number[];
  seconds: number;
}

export interface AuRegressorTraining {
  /** Faces [N, S, S, C] in [−1, 1]. */
  images: tf.Tensor4D;
  /** Ground-truth AU intensities [N, K] in [0, 1], row-major. */
  aus: Float32Array;
  numAus: number;
  steps: number;
  batchSize?: number;
  learningRate?: number;
  filters?: number[];
  seed: number;
}

/**
 * Document 000 §II.B's AU regressor (CNN + one fully-connected layer, MSE on intensities rescaled to
 * [0, 1]), trained here on the renderer's exact AU ground truth with Adam.
 */
export function trainAuRegressor(o: AuRegressorTraining): TrainedHead {
  const start = Date.now();
  const [n, size, , channels] = o.images.shape;
  const model = buildAuRegressor({ imageSize: size, channels, numAus: o.numAus, filters: o.filters ?? [16, 32, 64], seed: o.seed });
  const vars = trainableVariables(model);
  const y = tf.tensor2d(o.aus, [n, o.numAus]);
  const opt = new Adam({ learningRate: o.learningRate ?? 2e-3 });
  const rng = new Random(o.seed);
  const b = Math.min(o.batchSize ?? 32, n);
  const losses: number[] = [];
  let order = rng.permutation(n);
  let at = 0;
  for (let step = 0; step < o.steps; step++) {
    if (at + b > n) {
      order = rng.permutation(n);
      at = 0;
    }
    const idx = Array.from(order.slice(at, at + b));
    at += b;
    const x = takeRows(o.images, idx);
    const t = takeRows(y, idx);
    const l = opt.minimize(() => tf.mean(tf.square(tf.sub(model.apply(x, { training: true }) as tf.Tensor, t))) as tf.Scalar, true, vars);
    losses.push(l!.dataSync()[0]);
    tf.dispose([x, t, l!]);
  }
  y.dispose();
  opt.dispose();
  return { model, losses, seconds: (Date.now() - start) / 1000 };
}

export interface IdentityEmbeddingTraining {
  images: tf.Tensor4D;
  /** Identity of each image (several images per identity, different poses/expressions). */
  identityIds: Int32Array;
  steps: number;
  /** Triplets per step. */
  batchSize?: number;
  learningRate?: number;
  embeddingDim?: number;
  margin?: number;
  filters?: number[];
  seed: number;
}

/**
 * The identity embedding (document 000 uses OpenFace's 128-D FaceNet-style embedding; here gankit's
 * small CNN with L2-normalised output) trained with the FaceNet triplet loss on random triplets:
 * anchor and positive share an identity (other pose/expression), the negative does not.
 */
export function trainIdentityEmbedding(o: IdentityEmbeddingTraining): TrainedHead {
  const start = Date.now();
  const [n, size, , channels] = o.images.shape;
  const byId = new Map<number, number[]>();
  o.identityIds.forEach((id, i) => byId.set(id, [...(byId.get(id) ?? []), i]));
  const ids = [...byId.keys()].filter((id) => byId.get(id)!.length >= 2);
  if (ids.length < 2) throw new Error(`trainIdentityEmbedding: needs ≥ 2 identities with ≥ 2 images each; got ${ids.length} of ${byId.size} (n = ${n})`);
  const model = buildIdentityEmbedding({ imageSize: size, channels, embeddingDim: o.embeddingDim ?? 32, filters: o.filters ?? [16, 32, 64], seed: o.seed });
  const vars = trainableVariables(model);
  const opt = new Adam({ learningRate: o.learningRate ?? 2e-3 });
  const rng = new Random(o.seed);
  const b = o.batchSize ?? 16;
  const losses: number[] = [];
  for (let step = 0; step < o.steps; step++) {
    const a: number[] = [];
    const p: number[] = [];
    const q: number[] = [];
    for (let k = 0; k < b; k++) {
      const id = ids[rng.int(0, ids.length)];
      const members = byId.get(id)!;
      const i = rng.int(0, members.length);
      let j = rng.int(0, members.length - 1);
      if (j >= i) j++;
      let other = ids[rng.int(0, ids.length - 1)];
      if (other === id) other = ids[ids.length - 1];
      const om = byId.get(other)!;
      a.push(members[i]);
      p.push(members[j]);
      q.push(om[rng.int(0, om.length)]);
    }
    const x = takeRows(o.images, [...a, ...p, ...q]);
    const l = opt.minimize(
      () => {
        const e = model.apply(x, { training: true }) as tf.Tensor;
        const [ea, ep, en] = tf.split(e, 3, 0);
        return tripletLoss(ea, ep, en, o.margin ?? 0.2);
      },
      true,
      vars,
    );
    losses.push(l!.dataSync()[0]);
    tf.dispose([x, l!]);
  }
  opt.dispose();
  return { model, losses, seconds: (Date.now() - start) / 1000 };
}
