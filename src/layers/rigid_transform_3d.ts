import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertFinite, assertPositiveInteger, assertRank } from '../util/validate.js';
import { trilinearSample, type TrilinearBoundary } from './trilinear_sample.js';
import type { LayerArgs } from './common.js';

export type { TrilinearBoundary } from './trilinear_sample.js';

/** Options of {@link rigidTransform3d} (defaults = the HoloGAN reference code). */
export interface RigidTransform3DOptions {
  /**
   * Apply the reference's `transform_voxel_to_match_image` after resampling
   * (`tools/model_utils.py`: `transpose([0, 2, 1, 3, 4])` then reverse axis 1), so that the
   * generator's projection sees the image orientation. Default `true` (the reference generator
   * always applies it). With `false` the output keeps the volume's [B, D, H, W, C] layout.
   */
  matchImage?: boolean;
  /** Edge handling of the trilinear resampler; default `'reference'` (see {@link TrilinearBoundary}). */
  boundary?: TrilinearBoundary;
  /**
   * The reference subtracts π/2 from the azimuth unless `shapenet_viewer` is set
   * (`tf_rotation_around_grid_centroid`). Default `false` (subtract π/2, as in the CelebA model).
   */
  shapenetViewer?: boolean;
  /**
   * Spatial size [D′, H′, W′] of the resampled grid before the optional axis swap (the reference's
   * `new_size`, centred at `new_size/2`); default the input's [D, H, W] (`tf_3D_transform(h2, view, 16, 16)`).
   */
  outputSize?: [number, number, number];
}

/**
 * HoloGAN's rotation R = Rot_Z(elevation) · Rot_Y(azimuth − π/2) as a [B, 3, 3] tensor
 * (`tools/rotation_utils.py`, `tf_rotation_around_grid_centroid`):
 * `Rot_Y(a) = [[cos a, 0, −sin a], [0, 1, 0], [sin a, 0, cos a]]`,
 * `Rot_Z(e) = [[cos e, sin e, 0], [−sin e, cos e, 0], [0, 0, 1]]`.
 * `view` is [B, ≥2] with azimuth in column 0 and elevation in column 1 (radians).
 */
export function hologanRotationMatrix(view: tf.Tensor, shapenetViewer = false): tf.Tensor3D {
  return tf.tidy(() => {
    const batch = view.shape[0];
    let azimuth = tf.reshape(tf.slice(view, [0, 0], [batch, 1]), [batch]);
    const elevation = tf.reshape(tf.slice(view, [0, 1], [batch, 1]), [batch]);
    if (!shapenetViewer) azimuth = tf.sub(azimuth, tf.scalar(Math.PI / 2));
    const ca = tf.cos(azimuth);
    const sa = tf.sin(azimuth);
    const ce = tf.cos(elevation);
    const se = tf.sin(elevation);
    const zero = tf.zerosLike(ca);
    // Rot_Z(e) · Rot_Y(a), row-major.
    const entries = [tf.mul(ce, ca), se, tf.neg(tf.mul(ce, sa)), tf.neg(tf.mul(se, ca)), ce, tf.mul(se, sa), sa, zero, ca];
    return tf.reshape(tf.stack(entries, 1), [batch, 3, 3]) as tf.Tensor3D;
  });
}

/** Output-grid points (x, y, z) in the order of the final output tensor, as a [1, N, 3] tensor. */
function outputGrid(outD: number, outH: number, outW: number, matchImage: boolean): tf.Tensor3D {
  const n = outD * outH * outW;
  const data = new Float32Array(n * 3);
  let p = 0;
  if (matchImage) {
    // Final [B, H′, D′, W′, C]: r[i, j, k] = pre[z = j, y = H′ − 1 − i, x = k].
    for (let i = 0; i < outH; i++)
      for (let j = 0; j < outD; j++)
        for (let k = 0; k < outW; k++) {
          data[p++] = k;
          data[p++] = outH - 1 - i;
          data[p++] = j;
        }
  } else {
    for (let i = 0; i < outD; i++)
      for (let j = 0; j < outH; j++)
        for (let k = 0; k < outW; k++) {
          data[p++] = k;
          data[p++] = j;
          data[p++] = i;
        }
  }
  return tf.tensor3d(data, [1, n, 3]);
}

/**
 * Where every output voxel samples the input volume: [B, N, 3] (x, y, z) voxel coordinates.
 * Reference (`tf_rotation_resampling`): `M = T_new_inv · T_translate · S · R · T` with
 * `T = translate(−size/2)` (size/2, not (size−1)/2: a half-voxel offset), `T_new_inv = translate(+new_size/2)`;
 * inverse warping applies `M⁻¹` to the output grid. Since R is orthogonal, `M⁻¹ p = c_in + Rᵀ(p − c_new − t)/s`,
 * computed here in closed form (differentiable in the view).
 */
export function rigidSampleCoordinates(view: tf.Tensor, inputSize: [number, number, number], options: RigidTransform3DOptions = {}): tf.Tensor3D {
  const { matchImage = true, shapenetViewer = false } = options;
  const [inD, inH, inW] = inputSize;
  const [outD, outH, outW] = options.outputSize ?? inputSize;
  return tf.tidy(() => {
    const batch = view.shape[0];
    const rot = hologanRotationMatrix(view, shapenetViewer);
    const scale = tf.reshape(tf.slice(view, [0, 2], [batch, 1]), [batch, 1, 1]);
    const shift = tf.reshape(tf.slice(view, [0, 3], [batch, 3]), [batch, 1, 3]);
    const grid = outputGrid(outD, outH, outW, matchImage);
    const centreOut = tf.tensor3d([outW / 2, outH / 2, outD / 2], [1, 1, 3]);
    const centreIn = tf.tensor3d([inW / 2, inH / 2, inD / 2], [1, 1, 3]);
    const q = tf.div(tf.sub(tf.sub(grid, centreOut), shift), scale); // [B, N, 3]
    // Row form of Rᵀ·q: qᵀ·R.
    return tf.add(tf.matMul(q, rot), centreIn) as tf.Tensor3D;
  });
}

function checkView(where: string, volume: tf.Tensor, view: tf.Tensor): void {
  assertRank(where, 'volume', volume, 5);
  if (view.rank !== 2 || view.shape[1] !== 6 || view.shape[0] !== volume.shape[0]) {
    throw new Error(
      `${where}: 'view' must have shape [${volume.shape[0]}, 6] (azimuth, elevation, scale, tx, ty, tz per volume); got [${view.shape.join(', ')}]`,
    );
  }
  const data = view.dataSync();
  assertFinite(where, 'view', data);
  for (let b = 0; b < view.shape[0]; b++) {
    if (data[6 * b + 2] === 0) throw new Error(`${where}: 'view' scale (column 2) must be non-zero; row ${b} has scale 0`);
  }
}

/**
 * HoloGAN's 3D rigid transform of a feature volume (`tools/rotation_utils.py`, `tf_3D_transform`,
 * thunguyenphuoc/HoloGAN@76c35a8; algorithms.md §1.1).
 *
 * `volume` is [B, D, H, W, C]; `view` is [B, 6] = (azimuth, elevation, scale, tx, ty, tz), angles in
 * radians. Each output voxel p (x ↔ axis 3, y ↔ axis 2, z ↔ axis 1) takes the trilinear
 * interpolation of the input at `c_in + Rᵀ(p − c_out − t)/s`, with `R = Rot_Z(elev)·Rot_Y(azim − π/2)`,
 * centres `size/2` per axis, and zeros outside the grid (reference edge rule by default). Then, by
 * default, the reference's axis swap + flip (`transform_voxel_to_match_image`) gives
 * [B, H′, D′, W′, C]; with `matchImage: false` the output is [B, D′, H′, W′, C].
 *
 * The reference only handles cubic grids (one `size`); non-cubic volumes use the same formula per
 * axis. Differentiable with respect to the volume and the view (see {@link trilinearSample}).
 */
export function rigidTransform3d(volume: tf.Tensor, view: tf.Tensor, options: RigidTransform3DOptions = {}): tf.Tensor5D {
  const where = 'rigidTransform3d';
  checkView(where, volume, view);
  const [batch, inD, inH, inW, channels] = volume.shape;
  const outSize = options.outputSize ?? [inD, inH, inW];
  outSize.forEach((s, i) => assertPositiveInteger(where, `outputSize[${i}]`, s));
  const [outD, outH, outW] = outSize;
  const matchImage = options.matchImage ?? true;
  return tf.tidy(() => {
    const coords = rigidSampleCoordinates(view, [inD, inH, inW], options);
    const sampled = trilinearSample(volume, coords, options.boundary ?? 'reference');
    const shape: [number, number, number, number, number] = matchImage ? [batch, outH, outD, outW, channels] : [batch, outD, outH, outW, channels];
    return tf.reshape(sampled, shape) as tf.Tensor5D;
  });
}

/** Arguments of the {@link RigidTransform3D} layer. */
export interface RigidTransform3DArgs extends RigidTransform3DOptions, LayerArgs {}

/**
 * Layer form of {@link rigidTransform3d}: inputs `[volume [B, D, H, W, C], view [B, 6]]`, no weights.
 */
export class RigidTransform3D extends tfl.layers.Layer {
  static className = 'GankitRigidTransform3D';
  private readonly options: Required<Pick<RigidTransform3DOptions, 'matchImage' | 'boundary' | 'shapenetViewer'>> & { outputSize: [number, number, number] | null };

  constructor(args: RigidTransform3DArgs = {}) {
    super(args);
    this.options = {
      matchImage: args.matchImage ?? true,
      boundary: args.boundary ?? 'reference',
      shapenetViewer: args.shapenetViewer ?? false,
      outputSize: args.outputSize ?? null,
    };
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shapes = inputShape as tfl.Shape[];
    if (!Array.isArray(shapes[0])) throw new Error(`RigidTransform3D: expects two inputs [volume, view]; got one of shape [${(inputShape as tfl.Shape).join(', ')}]`);
    const [b, d, h, w, c] = shapes[0];
    const [od, oh, ow] = this.options.outputSize ?? [d, h, w];
    return this.options.matchImage ? [b, oh, od, ow, c] : [b, od, oh, ow, c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) {
      throw new Error(`RigidTransform3D: expects two inputs [volume, view]; got ${Array.isArray(inputs) ? inputs.length : 1}`);
    }
    const { outputSize, ...rest } = this.options;
    return rigidTransform3d(inputs[0], inputs[1], { ...rest, ...(outputSize ? { outputSize } : {}) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.options };
  }
}
