/**
 * Sample quality for the reports: FID and KID of generated faces against held-out real faces, in the
 * features of a network trained on the embedded data's ground truth (the example's own AU regressor
 * or attribute/emotion classifier — its global-average-pooled features, or its penultimate layer),
 * next to two anchors: the data-vs-data floor (two disjoint real sets of the same size) and an
 * untrained generator of the same architecture. A generator is "face-like" when its KID is below
 * half the untrained generator's and within 10× the floor — the verdict gate the examples use.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fidFromActivations, kidFromActivations } from '../../src/metrics/index.js';
import { round } from './report.js';
import { predictBatched } from './train_helpers.js';

export interface QualityScore {
  fid: number;
  kid: number;
  kidStd: number;
}

export interface SampleQuality {
  /** Which network's features, in words (for the report). */
  features: string;
  /** Samples per set. */
  samples: number;
  /** Real vs real (disjoint held-out sets): the best any generator can score at this sample count. */
  dataFloor: QualityScore;
  /** Each generator's score against the held-out real set. */
  generators: Record<string, QualityScore & { faceLike: boolean }>;
  /** The same architectures before training. */
  untrained: Record<string, QualityScore>;
}

/**
 * A feature extractor from a trained head: the output of its last GlobalAveragePooling2D layer,
 * else of its second-to-last layer. The caller disposes nothing (the sub-model shares the head's weights).
 */
export function headFeatures(head: tfl.LayersModel): (x: tf.Tensor) => tf.Tensor {
  const pool = [...head.layers].reverse().find((l) => l.getClassName() === 'GlobalAveragePooling2D');
  const layer = pool ?? head.layers[head.layers.length - 2];
  const sub = tfl.model({ inputs: head.inputs, outputs: layer.output as tfl.SymbolicTensor });
  return (x) => tf.tidy(() => tf.reshape(sub.apply(x, { training: false }) as tf.Tensor, [x.shape[0], -1]));
}

function activations(features: (x: tf.Tensor) => tf.Tensor, images: tf.Tensor): number[][] {
  const f = predictBatched(features, images, 128);
  const rows = f.arraySync() as number[][];
  f.dispose();
  return rows;
}

function score(a: number[][], b: number[][], seed: number): QualityScore {
  const kid = kidFromActivations(a, b, { subsets: 50, subsetSize: Math.min(200, a.length, b.length), seed });
  return { fid: round(fidFromActivations(a, b), 2), kid: round(kid.mean, 4), kidStd: round(kid.std, 4) };
}

/**
 * FID/KID of `generated[name]` (images [N, H, W, C] in [−1, 1]) against `heldOut`, with the floor
 * `heldOut` vs `otherReal` and the `untrained` generators' scores. All sets should have the same N.
 */
export function sampleQuality(options: {
  features: (x: tf.Tensor) => tf.Tensor;
  featuresName: string;
  heldOut: tf.Tensor4D;
  otherReal: tf.Tensor4D;
  generated: Record<string, tf.Tensor4D>;
  untrained: Record<string, tf.Tensor4D>;
  seed: number;
}): SampleQuality {
  const { features, heldOut, otherReal, seed } = options;
  const ref = activations(features, heldOut);
  const dataFloor = score(activations(features, otherReal), ref, seed);
  const untrained: SampleQuality['untrained'] = {};
  for (const [name, images] of Object.entries(options.untrained)) untrained[name] = score(activations(features, images), ref, seed);
  const generators: SampleQuality['generators'] = {};
  for (const [name, images] of Object.entries(options.generated)) {
    const s = score(activations(features, images), ref, seed);
    const base = untrained[name]?.kid ?? Infinity;
    generators[name] = { ...s, faceLike: s.kid < 0.5 * base && s.kid < 10 * Math.max(dataFloor.kid, 1e-3) };
  }
  return { features: options.featuresName, samples: heldOut.shape[0], dataFloor, generators, untrained };
}

/** One line for a claim or a note: "FID 12.3 (floor 1.2, untrained 95.1), KID …". */
export function describeQuality(q: SampleQuality, name: string): string {
  const g = q.generators[name];
  const u = q.untrained[name];
  return `${name} FID ${g.fid} / KID ${g.kid} vs held-out faces (data-vs-data floor ${q.dataFloor.fid} / ${q.dataFloor.kid}${u ? `, untrained ${u.fid} / ${u.kid}` : ''}; ${q.samples} samples, ${q.features})`;
}
