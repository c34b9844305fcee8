/**
 * GAN steerability image edits, α samplers and the masked L2 walk loss.
 *
 * Reference: ali-design/gan_steerability `utils/transforms.py` (`get_target_np`, `get_train_alpha`
 * of ColorTransform, ZoomTransform, ShiftX/YTransform, Rotate2DTransform) and
 * `graphs/*\/transform_base.py` (loss). Images are NHWC tensors (any value range; the reference
 * uses [−1, 1]). Each edit returns `{target, mask}`: the edited image, and the same warp applied to
 * an all-ones image, binarised (non-zero → 1) — pixels the edit has no content for get weight 0.
 *
 * cv2 emulation: `cv2.resize(INTER_LINEAR)` = `tf.image.resizeBilinear(halfPixelCenters)`;
 * `cv2.warpAffine` (bilinear, zero border) = `tf.image.transform` with the inverse map (cv2 rounds
 * sample positions to 1/32 pixel; exact for the integer shifts and right-angle rotations tested).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';
import { assertRank } from '../util/validate.js';
import { maskedL2Loss } from '../losses/reconstruction.js';

export interface EditResult {
  target: tf.Tensor4D;
  mask: tf.Tensor4D;
}

/** A sampled walk step: `graph` [B, nSliders] feeds the walk, `target` parametrises the image edit. */
export interface WalkAlpha<A = unknown> {
  graph: number[][];
  target: A;
}

function checkImages(where: string, images: tf.Tensor): asserts images is tf.Tensor4D {
  assertRank(where, 'images', images, 4);
}

function binarize(x: tf.Tensor4D): tf.Tensor4D {
  return tf.cast(tf.notEqual(x, 0), 'float32') as tf.Tensor4D;
}

/**
 * Zoom by `alpha` (> 0): α < 1 crops the centre `[S//2 − n//2, S//2 + n//2)`, `n = int(α·S)`, and
 * resizes it up (zoom in; mask all ones); α > 1 zero-pads the image into an `int(α·S)` canvas at
 * offset `n//2 − S//2` and resizes it down (zoom out; mask marks the image area).
 * ZoomTransform.get_target_np.
 */
export function zoomEdit(images: tf.Tensor4D, alpha: number): EditResult {
  const where = 'zoomEdit';
  checkImages(where, images);
  if (!(alpha > 0) || !Number.isFinite(alpha)) throw new Error(`${where}: 'alpha' must be a finite number > 0; got ${alpha}`);
  const [, H, W] = images.shape;
  return tf.tidy(() => {
    const ones = tf.onesLike(images);
    if (alpha === 1) return { target: tf.clone(images), mask: ones };
    const nh = Math.floor(alpha * H);
    const nw = Math.floor(alpha * W);
    if (alpha < 1) {
      const h0 = Math.floor(H / 2) - Math.floor(nh / 2);
      const w0 = Math.floor(W / 2) - Math.floor(nw / 2);
      const ch = 2 * Math.floor(nh / 2);
      const cw = 2 * Math.floor(nw / 2);
      if (ch < 1 || cw < 1) throw new Error(`${where}: 'alpha' ${alpha} crops an empty region of a ${H}×${W} image`);
      const crop = tf.slice(images, [0, h0, w0, 0], [-1, ch, cw, -1]);
      return { target: tf.image.resizeBilinear(crop, [H, W], false, true), mask: ones };
    }
    const top = Math.floor(nh / 2) - Math.floor(H / 2);
    const left = Math.floor(nw / 2) - Math.floor(W / 2);
    const pads: [number, number][] = [
      [0, 0],
      [top, nh - H - top],
      [left, nw - W - left],
      [0, 0],
    ];
    const canvas = tf.pad(images, pads);
    const maskCanvas = tf.pad(ones, pads);
    return {
      target: tf.image.resizeBilinear(canvas as tf.Tensor4D, [H, W], false, true),
      mask: binarize(tf.image.resizeBilinear(maskCanvas as tf.Tensor4D, [H, W], false, true)),
    };
  });
}

/** Warp by the output→input affine map (x_in = a0·x + a1·y + a2, y_in = b0·x + b1·y + b2), zero border. */
function affineWarp(images: tf.Tensor4D, a: [number, number, number, number, number, number]): EditResult {
  return tf.tidy(() => {
    // One row per image: tfjs-backend-webgpu 4.22 reads row b of the transforms for image b and does
    // not broadcast a single [1, 8] row (image 1… came back wrong).
    const t = tf.tile(tf.tensor2d([[a[0], a[1], a[2], a[3], a[4], a[5], 0, 0]]), [images.shape[0], 1]);
    const target = tf.image.transform(images, t, 'bilinear', 'constant', 0);
    const mask = binarize(tf.image.transform(tf.onesLike(images), t, 'bilinear', 'constant', 0));
    return { target, mask };
  });
}

/**
 * Translate by `alpha` pixels along x (`cv2.warpAffine [[1,0,α],[0,1,0]]`: content moves right for
 * α > 0) or y (down for α > 0); zero border, mask marks valid pixels. ShiftX/YTransform.get_target_np.
 */
export function shiftEdit(images: tf.Tensor4D, alpha: number, axis: 'x' | 'y' = 'x'): EditResult {
  const where = 'shiftEdit';
  checkImages(where, images);
  if (!Number.isFinite(alpha)) throw new Error(`${where}: 'alpha' must be finite; got ${alpha}`);
  if (axis !== 'x' && axis !== 'y') throw new Error(`${where}: 'axis' must be 'x' or 'y'; got ${String(axis)}`);
  if (alpha === 0) return tf.tidy(() => ({ target: tf.clone(images), mask: tf.onesLike(images) }));
  return axis === 'x' ? affineWarp(images, [1, 0, -alpha, 0, 1, 0]) : affineWarp(images, [1, 0, 0, 0, 1, -alpha]);
}

/**
 * Rotate by `degrees` counter-clockwise about (W//2, H//2), scale 1, zero border
 * (`cv2.getRotationMatrix2D` + `cv2.warpAffine`). Rotate2DTransform.get_target_np.
 */
export function rotateEdit(images: tf.Tensor4D, degrees: number): EditResult {
  const where = 'rotateEdit';
  checkImages(where, images);
  if (!Number.isFinite(degrees)) throw new Error(`${where}: 'degrees' must be finite; got ${degrees}`);
  if (degrees === 0) return tf.tidy(() => ({ target: tf.clone(images), mask: tf.onesLike(images) }));
  const [, H, W] = images.shape;
  const cx = Math.floor(W / 2);
  const cy = Math.floor(H / 2);
  const th = (degrees * Math.PI) / 180;
  const ca = Math.cos(th);
  const sb = Math.sin(th);
  // forward (cv2): dst = R·src + t, R = [[c, s], [−s, c]]
  const t0 = (1 - ca) * cx - sb * cy;
  const t1 = sb * cx + (1 - ca) * cy;
  // inverse: src = Rᵀ(dst − t)
  return affineWarp(images, [ca, -sb, -(ca * t0 - sb * t1), sb, ca, -(sb * t0 + ca * t1)]);
}

/**
 * Add `alpha[b][c]` to channel c of image b (ColorTransform.get_target_np); `alpha` is [B, C], or
 * [C] for every image. Mask all ones.
 */
export function colorEdit(images: tf.Tensor4D, alpha: number[][] | number[] | tf.Tensor): EditResult {
  const where = 'colorEdit';
  checkImages(where, images);
  const [B, , , C] = images.shape;
  return tf.tidy(() => {
    let a: tf.Tensor;
    if (alpha instanceof tf.Tensor) a = alpha;
    else if (Array.isArray(alpha) && Array.isArray(alpha[0])) a = tf.tensor2d(alpha as number[][]);
    else a = tf.tensor1d(alpha as number[]);
    const ok = (a.rank === 2 && a.shape[0] === B && a.shape[1] === C) || (a.rank === 1 && a.shape[0] === C);
    if (!ok) throw new Error(`${where}: 'alpha' must have shape [${B}, ${C}] or [${C}]; got [${a.shape.join(', ')}]`);
    const a4 = a.rank === 2 ? tf.reshape(a, [B, 1, 1, C]) : tf.reshape(a, [1, 1, 1, C]);
    return { target: tf.add(images, a4) as tf.Tensor4D, mask: tf.onesLike(images) };
  });
}

/** Add `alpha` (one number, or one per image) to every channel. Mask all ones. */
export function brightnessEdit(images: tf.Tensor4D, alpha: number | number[]): EditResult {
  const where = 'brightnessEdit';
  checkImages(where, images);
  const B = images.shape[0];
  const as = typeof alpha === 'number' ? new Array<number>(B).fill(alpha) : alpha;
  if (!Array.isArray(as) || as.length !== B) throw new Error(`${where}: 'alpha' must be a number or one number per image (${B}); got ${Array.isArray(alpha) ? alpha.length : typeof alpha}`);
  const bad = as.findIndex((a) => !Number.isFinite(a));
  if (bad >= 0) throw new Error(`${where}: 'alpha' must be finite; got ${as[bad]}${typeof alpha === 'number' ? '' : ` at index ${bad}`}`);
  return tf.tidy(() => ({ target: tf.add(images, tf.reshape(tf.tensor1d(as), [B, 1, 1, 1])) as tf.Tensor4D, mask: tf.onesLike(images) }));
}

/**
 * @deprecated The same function as `maskedL2Loss` of gankit/losses (TF1
 * `compute_weighted_loss`, SUM_BY_NONZERO_WEIGHTS), which the walks now call; kept as an alias.
 */
export const maskedL2: (output: tf.Tensor, target: tf.Tensor, mask: tf.Tensor) => tf.Scalar = maskedL2Loss;

// ---------------------------------------------------------------- α samplers (get_train_alpha, linear walks)

/** Color: per image and channel `U(−0.5, 0.5)` (or only `channel`); graph = target = α [B, C]. */
export function sampleColorAlpha(batchSize: number, rng: Random, channels = 3, channel?: number): WalkAlpha<number[][]> {
  const a = Array.from({ length: batchSize }, () => new Array<number>(channels).fill(0));
  if (channel === undefined) {
    for (let b = 0; b < batchSize; b++) for (let c = 0; c < channels; c++) a[b][c] = rng.next() - 0.5;
  } else {
    if (!Number.isInteger(channel) || channel < 0 || channel >= channels) throw new Error(`sampleColorAlpha: 'channel' must be in [0, ${channels}); got ${channel}`);
    for (let b = 0; b < batchSize; b++) a[b][channel] = rng.next() - 0.5;
  }
  return { graph: a, target: a };
}

/** Brightness: per image `U(−0.5, 0.5)` added to all channels; graph [B, 1]. */
export function sampleBrightnessAlpha(batchSize: number, rng: Random): WalkAlpha<number[]> {
  const a = Array.from({ length: batchSize }, () => rng.next() - 0.5);
  return { graph: a.map((v) => [v]), target: a };
}

/** Zoom: coin ≤ 0.5 → α ~ U(0.25, 1), else U(1, 4), one per batch; the walk gets log α. */
export function sampleZoomAlpha(batchSize: number, rng: Random): WalkAlpha<number> {
  const coin = rng.uniform(0, 1);
  const alpha = coin <= 0.5 ? rng.uniform(0.25, 1) : rng.uniform(1, 4);
  return { graph: Array.from({ length: batchSize }, () => [Math.log(alpha)]), target: alpha };
}

/** Shift: integer `randint(1, S//2)` with a coin-flipped sign, one per batch; the walk gets α/(S//2). */
export function sampleShiftAlpha(batchSize: number, rng: Random, imageSize: number): WalkAlpha<number> {
  const max = Math.floor(imageSize / 2);
  if (max < 2) throw new Error(`sampleShiftAlpha: 'imageSize' must be ≥ 4; got ${imageSize}`);
  let alpha = rng.int(1, max);
  if (rng.uniform(0, 1) <= 0.5) alpha = -alpha;
  return { graph: Array.from({ length: batchSize }, () => [alpha / max]), target: alpha };
}

/** Rotate2D: integer degrees `randint(1, 45)` with a coin-flipped sign, one per batch; the walk gets α/45. */
export function sampleRotateAlpha(batchSize: number, rng: Random): WalkAlpha<number> {
  let alpha = rng.int(1, 45);
  if (rng.uniform(0, 1) <= 0.5) alpha = -alpha;
  return { graph: Array.from({ length: batchSize }, () => [alpha / 45]), target: alpha };
}

/** A transform usable by {@link trainLinearWalk}: its slider count, α sampler and image edit. */
export interface WalkEdit {
  name: string;
  nSliders: number;
  sample(batchSize: number, rng: Random, imageShape: [number, number, number]): WalkAlpha;
  apply(images: tf.Tensor4D, target: unknown): EditResult;
}

export type WalkEditName = 'color' | 'brightness' | 'zoom' | 'shiftx' | 'shifty' | 'rotate2d';

/** The reference's transforms as {@link WalkEdit}s (linear-walk α sampling). */
export function walkEdit(name: WalkEditName): WalkEdit {
  switch (name) {
    case 'color':
      return { name, nSliders: 3, sample: (b, rng, s) => sampleColorAlpha(b, rng, s[2]), apply: (x, t) => colorEdit(x, t as number[][]) };
    case 'brightness':
      return { name, nSliders: 1, sample: (b, rng) => sampleBrightnessAlpha(b, rng), apply: (x, t) => brightnessEdit(x, t as number[]) };
    case 'zoom':
      return { name, nSliders: 1, sample: (b, rng) => sampleZoomAlpha(b, rng), apply: (x, t) => zoomEdit(x, t as number) };
    case 'shiftx':
      return { name, nSliders: 1, sample: (b, rng, s) => sampleShiftAlpha(b, rng, s[1]), apply: (x, t) => shiftEdit(x, t as number, 'x') };
    case 'shifty':
      return { name, nSliders: 1, sample: (b, rng, s) => sampleShiftAlpha(b, rng, s[0]), apply: (x, t) => shiftEdit(x, t as number, 'y') };
    case 'rotate2d':
      return { name, nSliders: 1, sample: (b, rng) => sampleRotateAlpha(b, rng), apply: (x, t) => rotateEdit(x, t as number) };
    default:
      throw new Error(`walkEdit: 'name' must be one of color, brightness, zoom, shiftx, shifty or rotate2d; got '${String(name)}'`);
  }
}
