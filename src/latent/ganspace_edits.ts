/** GANSpace edits along principal directions: layer-wise and target edits, and latent directions regressed from activation PCA. */
import * as tf from '@tensorflow/tfjs-core';
import { kindOf, type MatrixLike, readMatrix, solveSymmetric, writeMatrix } from '../linalg/index.js';
import type { PcaResult } from './pca_result.js';

export interface PcaEditOptions {
  /** Per-layer range [start, end) (end exclusive, as GANSpace's `for l in range(start, end)`); default all layers. */
  layers?: [number, number];
  /** Multiplies the step, e.g. the component's stdev (GANSpace `lat_stdev`); default 1. */
  stdev?: number;
}

/**
 * GANSpace layer-wise edit: `z[:, l] += component · sigma · stdev` for `l ∈ [start, end)`.
 * harskish/ganspace `notebooks/notebook_utils.py` (`create_strip`: `z[l] += lat_comp · σ · lat_stdev`).
 * `codes` is [B, L, D] (per-layer codes; Tensor3D or number[][][]) or [B, D] (a single code per
 * sample: `layers` must then be omitted). Returns the same kind and shape.
 */
export function pcaEdit<T extends tf.Tensor | number[][] | number[][][]>(codes: T, component: tf.Tensor | number[], sigma: number, options: PcaEditOptions = {}): T {
  const where = 'pcaEdit';
  if (!Number.isFinite(sigma)) throw new Error(`${where}: 'sigma' must be finite; got ${sigma}`);
  const stdev = options.stdev ?? 1;
  const comp = component instanceof tf.Tensor ? Array.from(component.dataSync()) : component;
  if (!Array.isArray(comp)) throw new Error(`${where}: 'component' must be a [D] Tensor or number[]`);
  let shape: number[];
  let flat: Float64Array;
  if (codes instanceof tf.Tensor) {
    shape = codes.shape.slice();
    flat = Float64Array.from(codes.dataSync());
  } else {
    const arr = codes as unknown[];
    if (!Array.isArray(arr) || arr.length === 0 || !Array.isArray(arr[0])) throw new Error(`${where}: 'codes' must be [B, D] or [B, L, D]`);
    if (Array.isArray((arr[0] as unknown[])[0])) {
      const a3 = arr as number[][][];
      shape = [a3.length, a3[0].length, a3[0][0].length];
      flat = Float64Array.from(a3.flat(2));
    } else {
      const a2 = arr as number[][];
      shape = [a2.length, a2[0].length];
      flat = Float64Array.from(a2.flat());
    }
    if (flat.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${where}: 'codes' must be rectangular`);
  }
  if (shape.length !== 2 && shape.length !== 3) throw new Error(`${where}: 'codes' must have shape [B, D] or [B, L, D]; got [${shape.join(', ')}]`);
  const D = shape[shape.length - 1];
  if (comp.length !== D) throw new Error(`${where}: 'component' must have length D = ${D}; got ${comp.length}`);
  const L = shape.length === 3 ? shape[1] : 1;
  if (shape.length === 2 && options.layers) throw new Error(`${where}: 'layers' needs per-layer codes [B, L, D]; got [${shape.join(', ')}]`);
  const [start, end] = options.layers ?? [0, L];
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= L && start < end)) {
    throw new Error(`${where}: 'layers' must be [start, end) with 0 ≤ start < end ≤ ${L}; got [${start}, ${end})`);
  }
  const B = shape[0];
  const scale = sigma * stdev;
  for (let b = 0; b < B; b++) {
    for (let l = start; l < end; l++) {
      const o = (b * L + l) * D;
      for (let i = 0; i < D; i++) flat[o + i] += comp[i] * scale;
    }
  }
  if (codes instanceof tf.Tensor) return tf.tensor(Float32Array.from(flat), shape) as T;
  if (shape.length === 2) return Array.from({ length: B }, (_, b) => Array.from(flat.subarray(b * D, (b + 1) * D))) as T;
  return Array.from({ length: B }, (_, b) => Array.from({ length: L }, (_, l) => Array.from(flat.subarray((b * L + l) * D, (b * L + l + 1) * D)))) as T;
}

/**
 * GANSpace "target coordinate" edit (teaser figures): for each sample, read the current scaled
 * coordinate along the component from the FIRST edited layer, `coord = ((w − mean)·comp)/stdev`,
 * and set it to `target`: `w[:, l] += comp · stdev · (target − coord)` for l ∈ [start, end).
 * harskish/ganspace `notebooks/figure_teaser.ipynb`. `codes` [B, L, D] or [B, D]; same kind out.
 */
export function pcaTargetEdit<T extends tf.Tensor | number[][] | number[][][]>(
  codes: T,
  component: tf.Tensor | number[],
  options: { mean: number[]; stdev: number; target: number; layers?: [number, number] },
): T {
  const where = 'pcaTargetEdit';
  const comp = component instanceof tf.Tensor ? Array.from(component.dataSync()) : component;
  const { mean, stdev, target } = options;
  if (!(stdev > 0)) throw new Error(`${where}: 'stdev' must be > 0; got ${stdev}`);
  if (!Number.isFinite(target)) throw new Error(`${where}: 'target' must be finite; got ${target}`);
  if (!Array.isArray(mean) || mean.length !== comp.length) throw new Error(`${where}: 'mean' must have length D = ${comp.length}; got ${Array.isArray(mean) ? mean.length : typeof mean}`);
  const is3 = codes instanceof tf.Tensor ? codes.rank === 3 : Array.isArray((codes as unknown[][])[0]?.[0]);
  const start = options.layers ? options.layers[0] : 0;
  const arr = (codes instanceof tf.Tensor ? codes.arraySync() : codes) as number[][] | number[][][];
  const firstRows = is3 ? (arr as number[][][]).map((b) => b[start]) : (arr as number[][]);
  // one σ per sample: sigma_b = target − coord_b
  const sigmas = firstRows.map((w) => {
    if (w.length !== comp.length) throw new Error(`${where}: codes must have D = ${comp.length} columns; got ${w.length}`);
    let c = 0;
    for (let i = 0; i < w.length; i++) c += (w[i] - mean[i]) * comp[i];
    return target - c / stdev;
  });
  // apply per sample with pcaEdit on single-sample slices
  if (codes instanceof tf.Tensor) {
    const parts = sigmas.map((sg, b) => tf.tidy(() => pcaEdit(tf.slice(codes, b, 1), comp, sg, { stdev, layers: is3 ? options.layers : undefined })));
    const out = tf.concat(parts, 0);
    tf.dispose(parts);
    return out as T;
  }
  return (codes as unknown[]).map((c, b) => pcaEdit([c] as number[][] | number[][][], comp, sigmas[b], { stdev, layers: is3 ? options.layers : undefined })[0]) as T;
}

/**
 * GANSpace directions for PCA computed on ACTIVATIONS (an intermediate layer), transferred back to
 * the latent space by linear regression: `A = ((act − mean)·compᵀ)/stdev` (scaled PC coordinates),
 * `M = lstsq(A, Z)` (no intercept, minimum-norm as LAPACK gelsd), `lat_comp = M` with rows
 * L2-normalised. harskish/ganspace `decomposition.py` (`regression` branch).
 * `latents` [N, D], `activations` [N, F] (flattened), `pcaResult` from {@link pca} on activations.
 * Returns [k, D] of the same kind as `latents`.
 */
export function latentDirectionsFromActivations<T extends MatrixLike>(latents: T, activations: MatrixLike, pcaResult: PcaResult): T extends tf.Tensor ? tf.Tensor2D : number[][] {
  const where = 'latentDirectionsFromActivations';
  const z = readMatrix(where, 'latents', latents);
  const act = readMatrix(where, 'activations', activations);
  if (act.rows !== z.rows) throw new Error(`${where}: 'activations' must have one row per latent (${z.rows}); got ${act.rows}`);
  const comps = readMatrix(where, 'pcaResult.components', pcaResult.components);
  const F = act.cols;
  if (comps.cols !== F) throw new Error(`${where}: components have dimension ${comps.cols} but activations ${F}`);
  const k = comps.rows;
  const { mean, stdev } = pcaResult;
  if (mean.length !== F || stdev.length !== k) throw new Error(`${where}: 'pcaResult' mean must have length ${F} and stdev length ${k}`);
  const N = z.rows;
  const D = z.cols;
  // A [N, k]
  const A = new Float64Array(N * k);
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let f = 0; f < F; f++) s += (act.data[r * F + f] - mean[f]) * comps.data[i * F + f];
      A[r * k + i] = s / stdev[i];
    }
  }
  // normal equations AᵀA M = AᵀZ (minimum-norm fallback when singular)
  const AtA = new Float64Array(k * k);
  const AtZ = new Float64Array(k * D);
  for (let r = 0; r < N; r++) {
    for (let i = 0; i < k; i++) {
      const ai = A[r * k + i];
      for (let j = 0; j < k; j++) AtA[i * k + j] += ai * A[r * k + j];
      for (let c = 0; c < D; c++) AtZ[i * D + c] += ai * z.data[r * D + c];
    }
  }
  const M = solveSymmetric(AtA, k, AtZ, D);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let c = 0; c < D; c++) s += M[i * D + c] ** 2;
    s = Math.sqrt(s);
    if (!(s > 0)) throw new Error(`${where}: direction ${i} is zero (activations carry no latent information along it)`);
    for (let c = 0; c < D; c++) M[i * D + c] /= s;
  }
  return writeMatrix({ data: M, rows: k, cols: D }, kindOf(latents)) as never;
}
