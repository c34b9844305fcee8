import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertFinite, assertPositiveInteger, assertRank } from '../util/validate.js';
import { isHostMemoryBackend } from '../util/host_memory_backend.js';
import { preciseSinCos } from '../util/precise_trig.js';
import { resolveTrilinearImplementation, trilinearSample, type TrilinearBoundary, type TrilinearImplementation } from './trilinear_sample.js';
import type { LayerArgs } from './common.js';

export type { TrilinearBoundary, TrilinearImplementation } from './trilinear_sample.js';

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
  /**
   * How the sample coordinates and the resampling are computed: JavaScript on the host, or tensor
   * ops that keep values on the device; default `'auto'` (JavaScript on cpu/wasm/tfjs-node, tensor
   * ops on webgpu/webgl). See {@link TrilinearImplementation}.
   */
  implementation?: TrilinearImplementation;
}

/**
 * HoloGAN's rotation R = Rot_Z(elevation) · Rot_Y(azimuth − π/2) as a [B, 3, 3] tensor
 * (`tools/rotation_utils.py`, `tf_rotation_around_grid_centroid`):
 * `Rot_Y(a) = [[cos a, 0, −sin a], [0, 1, 0], [sin a, 0, cos a]]`,
 * `Rot_Z(e) = [[cos e, sin e, 0], [−sin e, cos e, 0], [0, 0, 1]]`.
 * `view` is [B, ≥2] with azimuth in column 0 and elevation in column 1 (radians).
 */
export function hologanRotationMatrix(view: tf.Tensor, shapenetViewer = false): tf.Tensor3D {
  if (!(view instanceof tf.Tensor) || view.rank !== 2 || view.shape[1]! < 2) {
    const got = view instanceof tf.Tensor ? `[${view.shape.join(', ')}]` : typeof view;
    throw new Error(`hologanRotationMatrix: 'view' must have shape [B, ≥2] (azimuth, elevation, …); got ${got}`);
  }
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

/** Output-grid points (x, y, z) in the order of the final output tensor, flattened [N·3]. */
function outputGrid(outD: number, outH: number, outW: number, matchImage: boolean): Float64Array {
  const n = outD * outH * outW;
  const data = new Float64Array(n * 3);
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
  return data;
}

/** R = Rot_Z(e)·Rot_Y(a) and its derivatives in a and e, row-major 3×3 each. */
function rotationAndDerivatives(a: number, e: number): { r: number[]; da: number[]; de: number[] } {
  const ca = Math.cos(a);
  const sa = Math.sin(a);
  const ce = Math.cos(e);
  const se = Math.sin(e);
  return {
    r: [ce * ca, se, -ce * sa, -se * ca, ce, se * sa, sa, 0, ca],
    da: [-ce * sa, 0, -ce * ca, se * sa, 0, se * ca, ca, 0, -sa],
    de: [-se * ca, ce, se * sa, -ce * ca, -se, ce * sa, 0, 0, 0],
  };
}

type CustomOp = (...xs: tf.Tensor[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor | tf.Tensor[] };

/**
 * Where every output voxel samples the input volume: [B, N, 3] (x, y, z) voxel coordinates.
 * Reference (`tf_rotation_resampling`): `M = T_new_inv · T_translate · S · R · T` with
 * `T = translate(−size/2)` (size/2, not (size−1)/2: a half-voxel offset), `T_new_inv = translate(+new_size/2)`;
 * inverse warping applies `M⁻¹` to the output grid. Since R is orthogonal, `M⁻¹ p = c_in + Rᵀ(p − c_new − t)/s`,
 * computed here in closed form (in JavaScript, float64, rounded to float32; the azimuth offset is
 * applied in float32 so the identity view gives exact integer coordinates). Differentiable in the
 * view with an analytic gradient (not itself differentiable further). With the `'tensor-ops'`
 * implementation (the default off host-memory backends) the same formula is composed of tfjs ops
 * in float32 and differentiated by autodiff.
 */
export function rigidSampleCoordinates(view: tf.Tensor, inputSize: [number, number, number], options: RigidTransform3DOptions = {}): tf.Tensor3D {
  if (resolveTrilinearImplementation(options.implementation) === 'tensor-ops') return rigidSampleCoordinatesWithTensorOps(view, inputSize, options);
  const { matchImage = true, shapenetViewer = false } = options;
  const [inD, inH, inW] = inputSize;
  const [outD, outH, outW] = options.outputSize ?? inputSize;
  const grid = outputGrid(outD, outH, outW, matchImage);
  const n = outD * outH * outW;
  const cOut = [outW / 2, outH / 2, outD / 2];
  const cIn = [inW / 2, inH / 2, inD / 2];
  const halfPi = Math.fround(Math.PI / 2);
  const op = tf.customGrad(((v: tf.Tensor) => {
    const batch = v.shape[0];
    const vd = v.dataSync();
    const rots: ReturnType<typeof rotationAndDerivatives>[] = [];
    const coords = new Float32Array(batch * n * 3);
    for (let b = 0; b < batch; b++) {
      const az = shapenetViewer ? vd[6 * b] : Math.fround(vd[6 * b] - halfPi);
      const rot = rotationAndDerivatives(az, vd[6 * b + 1]);
      rots.push(rot);
      const { r } = rot;
      const s = vd[6 * b + 2];
      const t0 = cOut[0] + vd[6 * b + 3];
      const t1 = cOut[1] + vd[6 * b + 4];
      const t2 = cOut[2] + vd[6 * b + 5];
      for (let i = 0; i < n; i++) {
        const q0 = (grid[3 * i] - t0) / s;
        const q1 = (grid[3 * i + 1] - t1) / s;
        const q2 = (grid[3 * i + 2] - t2) / s;
        const o = 3 * (b * n + i);
        coords[o] = cIn[0] + q0 * r[0] + q1 * r[3] + q2 * r[6];
        coords[o + 1] = cIn[1] + q0 * r[1] + q1 * r[4] + q2 * r[7];
        coords[o + 2] = cIn[2] + q0 * r[2] + q1 * r[5] + q2 * r[8];
      }
    }
    return {
      value: tf.tensor3d(coords, [batch, n, 3]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync();
        const out = new Float32Array(batch * 6);
        for (let b = 0; b < batch; b++) {
          const { r, da, de } = rots[b];
          const s = vd[6 * b + 2];
          const t = [cOut[0] + vd[6 * b + 3], cOut[1] + vd[6 * b + 4], cOut[2] + vd[6 * b + 5]];
          // gR[k][j] = Σ_n q_nk·dy_nj (q unscaled), gD[j] = Σ_n dy_nj.
          const gR = [0, 0, 0, 0, 0, 0, 0, 0, 0];
          const gD = [0, 0, 0];
          for (let i = 0; i < n; i++) {
            const o = 3 * (b * n + i);
            for (let k = 0; k < 3; k++) {
              const qk = grid[3 * i + k] - t[k];
              for (let j = 0; j < 3; j++) gR[3 * k + j] += qk * g[o + j];
            }
            gD[0] += g[o];
            gD[1] += g[o + 1];
            gD[2] += g[o + 2];
          }
          let gA = 0;
          let gE = 0;
          let gS = 0;
          for (let m = 0; m < 9; m++) {
            gA += (gR[m] * da[m]) / s;
            gE += (gR[m] * de[m]) / s;
            gS -= (gR[m] * r[m]) / (s * s);
          }
          out[6 * b] = gA;
          out[6 * b + 1] = gE;
          out[6 * b + 2] = gS;
          for (let k = 0; k < 3; k++) out[6 * b + 3 + k] = -(r[3 * k] * gD[0] + r[3 * k + 1] * gD[1] + r[3 * k + 2] * gD[2]) / s;
        }
        return tf.tensor2d(out, [batch, 6]);
      },
    };
  }) as CustomOp as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(view) as tf.Tensor3D;
}

/** {@link rigidSampleCoordinates} as tfjs ops: `c_in + ((p − c_out − t)/s)·R`, R row-major as in `rotationAndDerivatives`. */
function rigidSampleCoordinatesWithTensorOps(view: tf.Tensor, inputSize: [number, number, number], options: RigidTransform3DOptions): tf.Tensor3D {
  const { matchImage = true, shapenetViewer = false } = options;
  const [inD, inH, inW] = inputSize;
  const [outD, outH, outW] = options.outputSize ?? inputSize;
  const n = outD * outH * outW;
  const batch = view.shape[0] as number;
  return tf.tidy(() => {
    const grid = tf.tensor3d(Float32Array.from(outputGrid(outD, outH, outW, matchImage)), [1, n, 3]);
    const [azimuth, elevation, scale, tx, ty, tz] = tf.unstack(view, 1);
    const a = shapenetViewer ? azimuth : tf.sub(azimuth, Math.fround(Math.PI / 2));
    // Not tf.sin/tf.cos: GPU built-ins are only accurate to ~5e-4 (see preciseSinCos).
    const { sin: sa, cos: ca } = preciseSinCos(a);
    const { sin: se, cos: ce } = preciseSinCos(elevation);
    const r = [tf.mul(ce, ca), se, tf.neg(tf.mul(ce, sa)), tf.neg(tf.mul(se, ca)), ce, tf.mul(se, sa), sa, tf.zerosLike(sa), ca];
    const rotation = tf.reshape(tf.stack(r, 1), [batch, 3, 3]);
    const shift = tf.reshape(tf.add(tf.stack([tx, ty, tz], 1), tf.tensor1d([outW / 2, outH / 2, outD / 2])), [batch, 1, 3]);
    const q = tf.div(tf.sub(grid, shift), tf.reshape(scale, [batch, 1, 1]));
    return tf.add(tf.matMul(q, rotation), tf.tensor1d([inW / 2, inH / 2, inD / 2])) as tf.Tensor3D;
  });
}

function checkView(where: string, volume: tf.Tensor, view: tf.Tensor): void {
  assertRank(where, 'volume', volume, 5);
  if (view.rank !== 2 || view.shape[1] !== 6 || view.shape[0] !== volume.shape[0]) {
    throw new Error(`${where}: 'view' must have shape [${volume.shape[0]}, 6] (azimuth, elevation, scale, tx, ty, tz per volume); got [${view.shape.join(', ')}]`);
  }
  // The value checks read the view: free on host-memory backends, a device sync elsewhere, so
  // they run only where reading is free (a bad view then gives zeros or NaN, not an error).
  if (!isHostMemoryBackend()) return;
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
    const sampled = trilinearSample(volume, coords, options.boundary ?? 'reference', options.implementation ?? 'auto');
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
