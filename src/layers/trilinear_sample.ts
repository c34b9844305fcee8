import * as tf from '@tensorflow/tfjs-core';
import { isHostMemoryBackend } from '../util/host_memory_backend.js';
import { assertRank } from '../util/validate.js';
import { addAll } from '../util/add_all.js';

/**
 * How samples near the edge of the grid are treated.
 *
 * - `'reference'` (HoloGAN `tf_interpolate`): the corner indices `x0 = floor(x)`, `x1 = x0 + 1` are
 *   clipped to `[0, dim − 1]` *before* the weights are computed, so a sample whose interpolation
 *   cube leaves the grid on any axis — including a sample lying exactly on the last index — gets
 *   weights that cancel: its value is 0. Valid samples satisfy `0 ≤ x < dim − 1` on every axis.
 * - `'zeros'`: PyTorch `grid_sample(mode='bilinear', padding_mode='zeros', align_corners=True)`
 *   in voxel units: each of the 8 corners outside the grid reads 0, the others keep their weights.
 *   The identity then reproduces every voxel, and the result is continuous in the coordinates.
 */
export type TrilinearBoundary = 'reference' | 'zeros';

/**
 * Which implementation computes the sampling (the results agree to float32 rounding):
 *
 * - `'javascript'`: one pass over the tensors' data in JavaScript, with a fused backward pass.
 *   Fastest where tensors live in host memory (cpu, wasm, tfjs-node), but it reads the values
 *   (`dataSync`), which on a GPU backend is a device→host round trip inside every step.
 * - `'tensor-ops'`: composed of tfjs ops (`gather` of the 8 corners, weighted sum; the gradient
 *   scatters with `unsortedSegmentSum`), so values stay on the device: for webgpu, webgl, and
 *   any backend gankit has not met.
 * - `'auto'` (default): `'javascript'` on host-memory backends, `'tensor-ops'` elsewhere.
 */
export type TrilinearImplementation = 'auto' | 'javascript' | 'tensor-ops';

/** The implementation that `'auto'` resolves to on the active backend. */
export function resolveTrilinearImplementation(implementation: TrilinearImplementation = 'auto'): Exclude<TrilinearImplementation, 'auto'> {
  if (implementation === 'auto') return isHostMemoryBackend() ? 'javascript' : 'tensor-ops';
  return implementation;
}

/** Precomputed interpolation plan: for every sample, 8 corner offsets (−1 = reads 0) and weights. */
interface SamplePlan {
  batch: number;
  points: number;
  channels: number;
  /** Voxels per batch item (D·H·W). */
  volumeVoxels: number;
  volumeShape: [number, number, number, number, number];
  offsets: Int32Array;
  weights: Float32Array;
  /** Fractional parts along x, y, z (for the coordinate gradient). */
  frac: Float32Array;
}

function makePlan(coords: ArrayLike<number>, volumeShape: number[], points: number, boundary: TrilinearBoundary): SamplePlan {
  const [batch, depth, height, width, channels] = volumeShape;
  const n = batch * points;
  const offsets = new Int32Array(n * 8).fill(-1);
  const weights = new Float32Array(n * 8);
  const frac = new Float32Array(n * 3);
  const volumeVoxels = depth * height * width;
  const hw = height * width;
  for (let s = 0; s < n; s++) {
    const b = Math.floor(s / points);
    const x = coords[3 * s];
    const y = coords[3 * s + 1];
    const z = coords[3 * s + 2];
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const z0 = Math.floor(z);
    const fx = x - x0;
    const fy = y - y0;
    const fz = z - z0;
    frac[3 * s] = fx;
    frac[3 * s + 1] = fy;
    frac[3 * s + 2] = fz;
    if (boundary === 'reference') {
      // Valid only when the whole cube lies inside: 0 <= x0 and x0 + 1 <= dim - 1 (NaN fails too).
      if (!(x0 >= 0 && x0 + 1 <= width - 1 && y0 >= 0 && y0 + 1 <= height - 1 && z0 >= 0 && z0 + 1 <= depth - 1)) continue;
    }
    const base = b * volumeVoxels;
    for (let k = 0; k < 8; k++) {
      const i = k & 1;
      const j = (k >> 1) & 1;
      const l = (k >> 2) & 1;
      const xi = x0 + i;
      const yj = y0 + j;
      const zl = z0 + l;
      if (!(xi >= 0 && xi < width && yj >= 0 && yj < height && zl >= 0 && zl < depth)) continue;
      offsets[8 * s + k] = base + zl * hw + yj * width + xi;
      weights[8 * s + k] = (i ? fx : 1 - fx) * (j ? fy : 1 - fy) * (l ? fz : 1 - fz);
    }
  }
  return { batch, points, channels, volumeVoxels, volumeShape: volumeShape as SamplePlan['volumeShape'], offsets, weights, frac };
}

/** out[s, c] = Σ_k w[s, k] · V[offset[s, k], c]. */
function gatherForward(volume: ArrayLike<number>, plan: SamplePlan): Float32Array {
  const { batch, points, channels: C, offsets, weights } = plan;
  const n = batch * points;
  const out = new Float32Array(n * C);
  for (let s = 0; s < n; s++) {
    const ob = s * C;
    const p = 8 * s;
    if (offsets[p] >= 0 && offsets[p + 1] >= 0 && offsets[p + 2] >= 0 && offsets[p + 3] >= 0 && offsets[p + 4] >= 0 && offsets[p + 5] >= 0 && offsets[p + 6] >= 0 && offsets[p + 7] >= 0) {
      // All corners inside (the common case): one pass over the channels, one write per output.
      const v0 = offsets[p] * C, v1 = offsets[p + 1] * C, v2 = offsets[p + 2] * C, v3 = offsets[p + 3] * C;
      const v4 = offsets[p + 4] * C, v5 = offsets[p + 5] * C, v6 = offsets[p + 6] * C, v7 = offsets[p + 7] * C;
      const w0 = weights[p], w1 = weights[p + 1], w2 = weights[p + 2], w3 = weights[p + 3];
      const w4 = weights[p + 4], w5 = weights[p + 5], w6 = weights[p + 6], w7 = weights[p + 7];
      for (let c = 0; c < C; c++) {
        out[ob + c] =
          w0 * volume[v0 + c] + w1 * volume[v1 + c] + w2 * volume[v2 + c] + w3 * volume[v3 + c] +
          w4 * volume[v4 + c] + w5 * volume[v5 + c] + w6 * volume[v6 + c] + w7 * volume[v7 + c];
      }
      continue;
    }
    for (let k = 0; k < 8; k++) {
      const off = offsets[p + k];
      if (off < 0) continue;
      const w = weights[p + k];
      if (w === 0) continue;
      const vb = off * C;
      for (let c = 0; c < C; c++) out[ob + c] += w * volume[vb + c];
    }
  }
  return out;
}

/** The adjoint of {@link gatherForward}: dV[offset[s, k], c] += w[s, k] · dy[s, c]. */
function scatterAdjoint(dy: ArrayLike<number>, plan: SamplePlan): Float32Array {
  const { batch, points, channels: C, offsets, weights, volumeVoxels } = plan;
  const n = batch * points;
  const out = new Float32Array(batch * volumeVoxels * C);
  for (let s = 0; s < n; s++) {
    const ob = s * C;
    for (let k = 0; k < 8; k++) {
      const off = offsets[8 * s + k];
      if (off < 0) continue;
      const w = weights[8 * s + k];
      if (w === 0) continue;
      const vb = off * C;
      for (let c = 0; c < C; c++) out[vb + c] += w * dy[ob + c];
    }
  }
  return out;
}

/**
 * Both gradients in one pass over dy: the volume gradient (the adjoint scatter-add,
 * dV[offset, c] += w·dy[s, c]) and d out / d(x, y, z) (derivative of the trilinear weights times
 * the corner values, contracted with dy).
 */
function fusedBackward(dy: ArrayLike<number>, volume: ArrayLike<number>, plan: SamplePlan): { dVolume: Float32Array; dCoords: Float32Array } {
  const { batch, points, channels: C, offsets, weights, frac, volumeVoxels } = plan;
  const n = batch * points;
  const dVolume = new Float32Array(batch * volumeVoxels * C);
  const dCoords = new Float32Array(n * 3);
  for (let s = 0; s < n; s++) {
    const ob = s * C;
    const fx = frac[3 * s];
    const fy = frac[3 * s + 1];
    const fz = frac[3 * s + 2];
    let gx = 0;
    let gy = 0;
    let gz = 0;
    const p = 8 * s;
    const dots = [0, 0, 0, 0, 0, 0, 0, 0];
    if (offsets[p] >= 0 && offsets[p + 1] >= 0 && offsets[p + 2] >= 0 && offsets[p + 3] >= 0 && offsets[p + 4] >= 0 && offsets[p + 5] >= 0 && offsets[p + 6] >= 0 && offsets[p + 7] >= 0) {
      // All corners inside: one pass over the channels reading dy once.
      const v0 = offsets[p] * C, v1 = offsets[p + 1] * C, v2 = offsets[p + 2] * C, v3 = offsets[p + 3] * C;
      const v4 = offsets[p + 4] * C, v5 = offsets[p + 5] * C, v6 = offsets[p + 6] * C, v7 = offsets[p + 7] * C;
      const w0 = weights[p], w1 = weights[p + 1], w2 = weights[p + 2], w3 = weights[p + 3];
      const w4 = weights[p + 4], w5 = weights[p + 5], w6 = weights[p + 6], w7 = weights[p + 7];
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0;
      for (let c = 0; c < C; c++) {
        const d = dy[ob + c];
        d0 += d * volume[v0 + c];
        d1 += d * volume[v1 + c];
        d2 += d * volume[v2 + c];
        d3 += d * volume[v3 + c];
        d4 += d * volume[v4 + c];
        d5 += d * volume[v5 + c];
        d6 += d * volume[v6 + c];
        d7 += d * volume[v7 + c];
        dVolume[v0 + c] += w0 * d;
        dVolume[v1 + c] += w1 * d;
        dVolume[v2 + c] += w2 * d;
        dVolume[v3 + c] += w3 * d;
        dVolume[v4 + c] += w4 * d;
        dVolume[v5 + c] += w5 * d;
        dVolume[v6 + c] += w6 * d;
        dVolume[v7 + c] += w7 * d;
      }
      dots[0] = d0; dots[1] = d1; dots[2] = d2; dots[3] = d3; dots[4] = d4; dots[5] = d5; dots[6] = d6; dots[7] = d7;
    } else {
      for (let k = 0; k < 8; k++) {
        const off = offsets[p + k];
        if (off < 0) continue;
        const w = weights[p + k];
        const vb = off * C;
        let dot = 0;
        for (let c = 0; c < C; c++) {
          const d = dy[ob + c];
          dot += d * volume[vb + c];
          dVolume[vb + c] += w * d;
        }
        dots[k] = dot;
      }
    }
    for (let k = 0; k < 8; k++) {
      const dot = dots[k];
      if (dot === 0) continue;
      const i = k & 1;
      const j = (k >> 1) & 1;
      const l = (k >> 2) & 1;
      const wx = i ? fx : 1 - fx;
      const wy = j ? fy : 1 - fy;
      const wz = l ? fz : 1 - fz;
      gx += (i ? 1 : -1) * wy * wz * dot;
      gy += wx * (j ? 1 : -1) * wz * dot;
      gz += wx * wy * (l ? 1 : -1) * dot;
    }
    dCoords[3 * s] = gx;
    dCoords[3 * s + 1] = gy;
    dCoords[3 * s + 2] = gz;
  }
  return { dVolume, dCoords };
}

type CustomOp = (...xs: tf.Tensor[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor) => tf.Tensor | tf.Tensor[] };

/** `tf.customGrad` with plain tensor arguments (its declared type mixes in the save function). */
function customOp(f: CustomOp): (...xs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Tensor;
}

/** Linear sampling with a fixed plan; its gradient is {@link splatWithPlan} (so it is differentiable to any order in the data). */
function sampleWithPlan(volume: tf.Tensor, plan: SamplePlan): tf.Tensor {
  const op = customOp((v: tf.Tensor) => ({
    value: tf.tensor(gatherForward(v.dataSync() as Float32Array, plan), [plan.batch, plan.points, plan.channels]),
    gradFunc: (dy: tf.Tensor) => splatWithPlan(dy, plan),
  }));
  return op(volume);
}

/**
 * The adjoint of {@link sampleWithPlan} (scatter-add into the volume); its gradient is sampling.
 * `precomputed` is its value when already known (the fused backward pass).
 */
function splatWithPlan(values: tf.Tensor, plan: SamplePlan, precomputed?: Float32Array): tf.Tensor {
  const op = customOp((v: tf.Tensor) => ({
    value: tf.tensor(precomputed ?? scatterAdjoint(v.dataSync() as Float32Array, plan), plan.volumeShape),
    gradFunc: (dy: tf.Tensor) => sampleWithPlan(dy, plan),
  }));
  return op(values);
}

/**
 * Trilinear sampling of a batch of volumes at arbitrary voxel coordinates.
 *
 * `volume` is [B, D, H, W, C]; `coords` is [B, N, 3] holding (x, y, z) per sample in voxel units
 * with HoloGAN's axis mapping (`tools/rotation_utils.py`, `tf_interpolate`: flat index
 * `z·W·H + y·W + x`): **x ↔ axis 3 (W), y ↔ axis 2 (H), z ↔ axis 1 (D)**. Returns [B, N, C]:
 * `out = Σ_corners (1−|x−xᵢ|)(1−|y−yⱼ|)(1−|z−zₗ|) · V[zₗ, yⱼ, xᵢ]`, with edges handled per
 * {@link TrilinearBoundary}.
 *
 * Differentiable with respect to both inputs (custom gradient: a scatter-add for the volume, the
 * derivative of the weights for the coordinates). Second-order derivatives flow exactly through
 * the volume path (the volume gradient is itself the differentiable adjoint of sampling); the
 * coordinate gradient is treated as constant by a further differentiation in the `'javascript'`
 * implementation, and differentiated exactly by `'tensor-ops'` (see {@link TrilinearImplementation}:
 * by default JavaScript on cpu/wasm/tfjs-node, tensor ops that stay on the device elsewhere).
 */
export function trilinearSample(volume: tf.Tensor, coords: tf.Tensor, boundary: TrilinearBoundary = 'reference', implementation: TrilinearImplementation = 'auto'): tf.Tensor3D {
  const where = 'trilinearSample';
  assertRank(where, 'volume', volume, 5);
  assertRank(where, 'coords', coords, 3);
  if (coords.shape[0] !== volume.shape[0] || coords.shape[2] !== 3) {
    throw new Error(`${where}: 'coords' must have shape [${volume.shape[0]}, N, 3] for a volume of shape [${volume.shape.join(', ')}]; got [${coords.shape.join(', ')}]`);
  }
  if (boundary !== 'reference' && boundary !== 'zeros') {
    throw new Error(`${where}: 'boundary' must be 'reference' or 'zeros'; got '${String(boundary)}'`);
  }
  if (implementation !== 'auto' && implementation !== 'javascript' && implementation !== 'tensor-ops') {
    throw new Error(`${where}: 'implementation' must be 'auto', 'javascript' or 'tensor-ops'; got '${String(implementation)}'`);
  }
  if (resolveTrilinearImplementation(implementation) === 'tensor-ops') return trilinearSampleWithTensorOps(volume, coords, boundary);
  const points = (coords.shape as number[])[1];
  const op = customOp((v: tf.Tensor, c: tf.Tensor) => {
    const plan = makePlan(c.dataSync(), v.shape, points, boundary);
    const volumeData = v.dataSync() as Float32Array;
    return {
      value: tf.tensor(gatherForward(volumeData, plan), [plan.batch, points, plan.channels]),
      gradFunc: (dy: tf.Tensor) => {
        const { dVolume, dCoords } = fusedBackward(dy.dataSync(), volumeData, plan);
        return [splatWithPlan(dy, plan, dVolume), tf.tensor(dCoords, [plan.batch, points, 3])];
      },
    };
  });
  return op(volume, coords) as tf.Tensor3D;
}

/** The 8 corners of every sample as flat voxel indices (int32, 0 where masked) and weights (0 where masked). */
interface CornerPlan {
  indices: tf.Tensor1D[];
  weights: tf.Tensor2D[];
  /** d weight / d(x, y, z) per corner, each [B·N, 1] (0 where masked). */
  weightDerivatives: [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D][];
}

/** {@link makePlan} as tensor ops: the same edge rules, evaluated on the device. */
function cornerPlan(coords: tf.Tensor, volumeShape: number[], boundary: TrilinearBoundary): CornerPlan {
  const [batch, depth, height, width] = volumeShape;
  const points = coords.shape[1] as number;
  const n = batch * points;
  const [x, y, z] = tf.unstack(tf.reshape(coords, [n, 3]), 1);
  const [x0, y0, z0] = [x, y, z].map((t) => tf.floor(t));
  const [fx, fy, fz] = [tf.sub(x, x0), tf.sub(y, y0), tf.sub(z, z0)];
  const [xi0, yi0, zi0] = [x0, y0, z0].map((t) => tf.cast(t, 'int32'));
  const int = (value: number): tf.Scalar => tf.scalar(value, 'int32');
  const base = tf.reshape(tf.tile(tf.reshape(tf.mul(tf.range(0, batch, 1, 'int32'), int(depth * height * width)), [batch, 1]), [1, points]), [n]);
  const inside = (f: tf.Tensor, lo: number, hi: number): tf.Tensor => tf.logicalAnd(tf.greaterEqual(f, lo), tf.lessEqual(f, hi));
  // Reference rule: the whole cube must lie inside (NaN compares false, so it is masked too).
  const cube = boundary === 'reference' ? tf.logicalAnd(tf.logicalAnd(inside(x0, 0, width - 2), inside(y0, 0, height - 2)), inside(z0, 0, depth - 2)) : null;
  const one = tf.scalar(1);
  const zero = tf.zerosLike(fx);
  const plan: CornerPlan = { indices: [], weights: [], weightDerivatives: [] };
  for (let k = 0; k < 8; k++) {
    const i = k & 1;
    const j = (k >> 1) & 1;
    const l = (k >> 2) & 1;
    const mask =
      cube ??
      tf.logicalAnd(tf.logicalAnd(inside(tf.add(x0, i), 0, width - 1), inside(tf.add(y0, j), 0, height - 1)), inside(tf.add(z0, l), 0, depth - 1));
    const flat = tf.add(base, tf.add(tf.mul(tf.add(zi0, int(l)), int(height * width)), tf.add(tf.mul(tf.add(yi0, int(j)), int(width)), tf.add(xi0, int(i)))));
    plan.indices.push(tf.where(mask, flat, tf.zerosLike(flat)) as tf.Tensor1D);
    const wx = i ? fx : tf.sub(one, fx);
    const wy = j ? fy : tf.sub(one, fy);
    const wz = l ? fz : tf.sub(one, fz);
    const masked = (t: tf.Tensor): tf.Tensor2D => tf.reshape(tf.where(mask, t, zero), [n, 1]) as tf.Tensor2D;
    plan.weights.push(masked(tf.mul(tf.mul(wx, wy), wz)));
    const sign = (on: number, t: tf.Tensor): tf.Tensor => (on ? t : tf.neg(t));
    plan.weightDerivatives.push([masked(sign(i, tf.mul(wy, wz))), masked(sign(j, tf.mul(wx, wz))), masked(sign(l, tf.mul(wx, wy)))]);
  }
  return plan;
}

/**
 * Trilinear sampling composed of tfjs ops (the `'tensor-ops'` {@link TrilinearImplementation}):
 * `out = Σ_k w_k · gather(V, index_k)` over the 8 corners. The custom gradient keeps only the
 * inputs (not the 8 gathered [B·N, C] tensors that plain autodiff would hold): the volume gradient
 * is `Σ_k unsortedSegmentSum(w_k · dy, index_k)`, the coordinate gradient
 * `Σ_k (∂w_k/∂(x, y, z)) · ⟨gather(V, index_k), dy⟩`. Both are tfjs ops, so they are themselves
 * differentiable (second order flows through the volume and the coordinates).
 */
function trilinearSampleWithTensorOps(volume: tf.Tensor, coords: tf.Tensor, boundary: TrilinearBoundary): tf.Tensor3D {
  const volumeShape = volume.shape as number[];
  const [batch, depth, height, width, channels] = volumeShape;
  const points = coords.shape[1] as number;
  const voxels = batch * depth * height * width;
  const op = tf.customGrad(((v: tf.Tensor, c: tf.Tensor, save: (tensors: tf.Tensor[]) => void) => {
    save([v, c]);
    const value = tf.tidy(() => {
      const plan = cornerPlan(c, volumeShape, boundary);
      const flat = tf.reshape(v, [voxels, channels]);
      const terms = plan.indices.map((index, k) => tf.mul(tf.gather(flat, index), plan.weights[k]));
      return tf.reshape(addAll(terms), [batch, points, channels]);
    });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sv, sc] = saved;
        const plan = cornerPlan(sc, volumeShape, boundary);
        const flat = tf.reshape(sv, [voxels, channels]);
        const dyFlat = tf.reshape(dy, [batch * points, channels]);
        const dVolume = addAll(plan.indices.map((index, k) => tf.unsortedSegmentSum(tf.mul(dyFlat, plan.weights[k]), index, voxels)));
        const dCoordTerms = plan.indices.map((index, k) => {
          const dot = tf.sum(tf.mul(tf.gather(flat, index), dyFlat), 1, true);
          return tf.concat(plan.weightDerivatives[k].map((d) => tf.mul(d, dot)), 1);
        });
        return [tf.reshape(dVolume, volumeShape), tf.reshape(addAll(dCoordTerms), [batch, points, 3])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (op as unknown as (...xs: tf.Tensor[]) => tf.Tensor)(volume, coords) as tf.Tensor3D;
}
