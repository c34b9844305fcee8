import * as tf from '@tensorflow/tfjs-core';
import { AU_NAMES } from './aus.js';
import { FACE_ATTRIBUTE_NAMES, faceAttributes, sampleFaceParams, type FaceSample, type SampleFaceOptions } from './params.js';
import { faceImageShape, renderFace, type FaceMode } from './render.js';

export interface SynthFaceDatasetOptions extends SampleFaceOptions {
  /** Number of images. */
  n: number;
  /** Image side: 32, 64 or 128 (any ≥ 16 works). Default 64, or 48 in 'fer' mode. */
  size?: number;
  /** 'rgb' (default), 'gray', or 'fer' (48×48 grayscale, tight crop like FER2013). */
  mode?: FaceMode;
}

/** Images and their ground truth. The caller owns (and disposes) `images`. */
export interface SynthFaceDataset {
  /** [n, size, size, C] in [−1, 1]. */
  images: tf.Tensor4D;
  /** [n, AU_NAMES.length] intensities in [0, 1], row-major. */
  aus: Float32Array;
  /** FER2013 emotion index (0 angry … 6 neutral) derived from the AUs. */
  emotions: Int32Array;
  /** Identity index (pool index, or the sample index when every face is a new person). */
  identityIds: Int32Array;
  /** [n, 3] yaw, pitch, roll in radians, row-major. */
  poses: Float32Array;
  /** [n, FACE_ATTRIBUTE_NAMES.length] CelebA-style ±1 attributes ({@link faceAttributes}), row-major. */
  attributes: Float32Array;
  attributeNames: readonly string[];
  /** The full per-sample parameters (re-render any face with {@link renderFace}). */
  samples: FaceSample[];
  auNames: readonly string[];
}

/**
 * N synthetic faces by seed, with identity, AU, emotion and pose ground truth (see
 * {@link sampleFaceParams} for the sampling options, {@link renderFace} for the picture).
 */
export function synthFaceDataset(options: SynthFaceDatasetOptions): SynthFaceDataset {
  const { n, size, mode = 'rgb', ...sampling } = options;
  if (!Number.isInteger(n) || n < 1) throw new Error(`synthFaceDataset: 'n' must be a positive integer; got ${n}`);
  const [h, w, c] = faceImageShape({ size, mode });
  const samples = sampleFaceParams(n, sampling);
  const pixels = new Float32Array(n * h * w * c);
  const aus = new Float32Array(n * AU_NAMES.length);
  const emotions = new Int32Array(n);
  const identityIds = new Int32Array(n);
  const poses = new Float32Array(n * 3);
  const attributes = new Float32Array(n * FACE_ATTRIBUTE_NAMES.length);
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    renderFace(s, { size: h, mode, out: pixels, offset: i * h * w * c });
    aus.set(s.aus, i * AU_NAMES.length);
    emotions[i] = s.emotion;
    identityIds[i] = s.identityId;
    poses[i * 3] = s.pose.yaw;
    poses[i * 3 + 1] = s.pose.pitch;
    poses[i * 3 + 2] = s.pose.roll;
    attributes.set(faceAttributes(s), i * FACE_ATTRIBUTE_NAMES.length);
  }
  return { images: tf.tensor4d(pixels, [n, h, w, c]), aus, emotions, identityIds, poses, attributes, attributeNames: FACE_ATTRIBUTE_NAMES, samples, auNames: AU_NAMES };
}
