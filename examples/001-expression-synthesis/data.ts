/**
 * CelebA-like synthetic faces for 001-expression-synthesis: every face a new person, a binary
 * "Smiling" (the happy expression) and "Blond_Hair" attribute — correlated on purpose, as CelebA's
 * attributes are (smiling is more frequent among blond faces), so that attribute directions are
 * entangled and InterFaceGAN's conditional manipulation has something to remove — plus the
 * continuous ground truth that the attribute predictor learns.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EMOTIONS, HAIR_COLORS, auIndex, renderFace, sampleFaceParams, sampleIdentity, type FaceSample } from '../../src/data/index.js';
import { celebaSource } from '../../src/node/index.js';
import { Random } from '../../src/index.js';

/**
 * Attributes scored by the predictor, all in [0, 1]. The background hue is circular, so it enters
 * on the unit circle (as `identityVector` has it): 0.5 + 0.5·cos(2πh) and 0.5 + 0.5·sin(2πh).
 */
export const ATTRIBUTES = ['smile', 'mouthOpen', 'blond', 'yaw', 'skinTone', 'backgroundCos', 'backgroundSin'] as const;
export type AttributeName = (typeof ATTRIBUTES)[number];

export const BLOND = 3; // index of the blonde colour in HAIR_COLORS
const NON_SMILE = EMOTIONS.filter((e) => e !== 'happy');

export interface AttributeFaces {
  images: tf.Tensor4D;
  /** Binary attributes for latent arithmetic / boundaries. */
  smiling: Int32Array;
  blond: Int32Array;
  /** [n, ATTRIBUTES.length] targets in [0, 1] (ground truth; NaN-free). */
  targets: Float32Array;
  samples?: FaceSample[];
}

export interface AttributeFaceOptions {
  n: number;
  size: number;
  seed: number;
  /** P(blond). Default 0.3. */
  pBlond?: number;
  /** P(smiling | blond), P(smiling | not blond). Default 0.6 and 0.2. */
  pSmile?: [number, number];
}

/** Ground-truth attribute vector of a sample (see {@link ATTRIBUTES}). */
export function attributeTargets(s: FaceSample): number[] {
  const blond = s.identity.hairColor === BLOND && s.identity.hairStyle !== 'bald' ? 1 : 0;
  const hue = 2 * Math.PI * s.identity.backgroundHue;
  return [s.aus[auIndex('AU12')], s.aus[auIndex('AU26')], blond, Math.min(1, Math.max(0, s.pose.yaw + 0.5)), s.identity.skinTone, 0.5 + 0.5 * Math.cos(hue), 0.5 + 0.5 * Math.sin(hue)];
}

/** Render `n` faces with correlated Smiling / Blond_Hair attributes. */
export function attributeFaces(o: AttributeFaceOptions): AttributeFaces {
  const { n, size, seed, pBlond = 0.3, pSmile = [0.6, 0.2] } = o;
  const rng = new Random(seed);
  const samples: FaceSample[] = [];
  for (let i = 0; i < n; i++) {
    const identity = sampleIdentity(rng);
    const blond = rng.next() < pBlond;
    if (blond) {
      identity.hairColor = BLOND;
      if (identity.hairStyle === 'bald') identity.hairStyle = 'short';
    } else if (identity.hairColor === BLOND) {
      identity.hairColor = [0, 1, 2, 4, 5, 6][rng.int(0, HAIR_COLORS.length - 1)];
    }
    const smile = rng.next() < (blond ? pSmile[0] : pSmile[1]);
    const [s] = sampleFaceParams(1, { seed: rng.seed(), identities: [identity], emotions: smile ? ['happy'] : [...NON_SMILE], intensity: [0.6, 1] });
    samples.push(s);
  }
  const px = size * size * 3;
  const data = new Float32Array(n * px);
  const targets = new Float32Array(n * ATTRIBUTES.length);
  samples.forEach((s, i) => {
    renderFace(s, { size, out: data, offset: i * px });
    targets.set(attributeTargets(s), i * ATTRIBUTES.length);
  });
  return {
    images: tf.tensor4d(data, [n, size, size, 3]),
    smiling: Int32Array.from(samples, (s) => (s.targetEmotion === EMOTIONS.indexOf('happy') ? 1 : 0)),
    blond: Int32Array.from({ length: n }, (_, i) => targets[i * ATTRIBUTES.length + 2]),
    targets,
    samples,
  };
}

/**
 * CelebA (`--data` root with list_attr_celeba.txt and img_align_celeba/): a random subset of `n`
 * faces at `size` (PyTorch-VAE's 148 centre crop). Targets: Smiling, Mouth_Slightly_Open and
 * Blond_Hair from the annotations; yaw, skin tone and background have no CelebA label and are set
 * to 0.5 (the predictor then learns a constant for them).
 */
export async function celebaFaces(root: string, n: number, size: number, seed: number): Promise<AttributeFaces> {
  const src = await celebaSource(root, { size, crop: 148, attributes: ['Smiling', 'Mouth_Slightly_Open', 'Blond_Hair'], labels: '01' });
  if (src.length < n) throw new Error(`001-expression-synthesis: CelebA at '${root}' has ${src.length} images; this mode needs ${n}`);
  const idx = Array.from(new Random(seed).permutation(src.length).subarray(0, n));
  const px = size * size * 3;
  const data = new Float32Array(n * px);
  const targets = new Float32Array(n * ATTRIBUTES.length);
  for (const [k, i] of idx.entries()) {
    const ex = await src.get(i);
    data.set(ex.x, k * px);
    const y = ex.y as ArrayLike<number>;
    targets.set([y[0], y[1], y[2], 0.5, 0.5, 0.5, 0.5], k * ATTRIBUTES.length);
  }
  return {
    images: tf.tensor4d(data, [n, size, size, 3]),
    smiling: Int32Array.from({ length: n }, (_, k) => (targets[k * ATTRIBUTES.length] > 0.5 ? 1 : 0)),
    blond: Int32Array.from({ length: n }, (_, k) => (targets[k * ATTRIBUTES.length + 2] > 0.5 ? 1 : 0)),
    targets,
  };
}
