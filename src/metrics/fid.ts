import { readArrayMatrix as readMatrix, readArrayVector as readVector, type ArrayMatrixLike as MatrixLike, type VectorLike } from '../linalg/index.js';
import { congruence, PSD_TOLERANCE, symmetricEigen, symmetricEigenvalues } from '../linalg/index.js';

/** Mean and covariance of a set of activations (the Gaussian FID fits to them). */
export interface ActivationStatistics {
  /** Per-feature mean, length `dim`. */
  mean: Float64Array;
  /** Unbiased covariance (divided by n − 1), `dim×dim` row-major. */
  covariance: Float64Array;
  /** Number of samples it was computed from. */
  count: number;
  dim: number;
}

/** Statistics given by the caller (e.g. cached real-data statistics). */
export interface GaussianStatistics {
  mean: VectorLike;
  covariance: MatrixLike | Float64Array;
}

/**
 * Mean and unbiased covariance of activations `[n, d]` in float64 — `np.mean(act, axis=0)` and
 * `np.cov(act, rowvar=False)` as pytorch-fid's `calculate_activation_statistics`
 * (mseitzer/pytorch-fid src/pytorch_fid/fid_score.py). Needs n ≥ 2; with n ≤ d the covariance is
 * rank-deficient, which {@link frechetDistance} handles, but the estimate is then very noisy.
 */
export function activationStatistics(activations: MatrixLike, where = 'activationStatistics', name = 'activations'): ActivationStatistics {
  const x = readMatrix(where, name, activations);
  if (x.rows < 2) {
    throw new Error(`${where}: '${name}' needs at least 2 samples to estimate a covariance; got shape [${x.rows}, ${x.cols}]`);
  }
  const n = x.rows;
  const d = x.cols;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x.data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  // Centred, column-major copy so every covariance entry is one contiguous dot product.
  const cols = new Float64Array(d * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) cols[j * n + i] = x.data[i * d + j] - mean[j];
  const covariance = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    const oj = j * n;
    for (let k = j; k < d; k++) {
      const ok = k * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += cols[oj + i] * cols[ok + i];
      s /= n - 1;
      covariance[j * d + k] = s;
      covariance[k * d + j] = s;
    }
  }
  return { mean, covariance, count: n, dim: d };
}

function readStatistics(where: string, name: string, s: ActivationStatistics | GaussianStatistics): { mean: Float64Array; cov: Float64Array; d: number } {
  if (s == null || typeof s !== 'object' || !('mean' in s) || !('covariance' in s)) {
    throw new Error(`${where}: '${name}' must be an object with 'mean' and 'covariance'`);
  }
  const mean = readVector(where, `${name}.mean`, s.mean);
  const d = mean.length;
  let cov: Float64Array;
  if (s.covariance instanceof Float64Array) {
    cov = s.covariance;
    if (cov.length !== d * d) throw new Error(`${where}: '${name}.covariance' must hold ${d}×${d} = ${d * d} values for a mean of length ${d}; got ${cov.length}`);
    for (let i = 0; i < cov.length; i++) {
      if (!Number.isFinite(cov[i])) throw new Error(`${where}: '${name}.covariance' must be finite; element [${Math.floor(i / d)}, ${i % d}] is ${cov[i]}`);
    }
  } else {
    const m = readMatrix(where, `${name}.covariance`, s.covariance);
    if (m.rows !== d || m.cols !== d) {
      throw new Error(`${where}: '${name}.covariance' must have shape [${d}, ${d}] to match a mean of length ${d}; got [${m.rows}, ${m.cols}]`);
    }
    cov = m.data;
  }
  return { mean, cov, d };
}

/**
 * Fréchet distance between two Gaussians N(μa, Σa), N(μb, Σb):
 *
 *   d² = ‖μa − μb‖² + Tr(Σa + Σb − 2 (Σa^½ Σb Σa^½)^½)
 *
 * (Dowson & Landau 1982; Heusel et al. 2017, FID). pytorch-fid (src/pytorch_fid/fid_score.py
 * `calculate_frechet_distance`) and torch-fidelity use `Tr sqrtm(Σa Σb)`, which has the same
 * eigenvalues as `Σa^½ Σb Σa^½` and therefore the same trace; here the trace is computed without a
 * general (complex) sqrtm, in float64: eigen-decompose `Σa = V diag(λ) Vᵀ`, form
 * `M = diag(√λ) (Vᵀ Σb V) diag(√λ)` (similar to `Σa^½ Σb Σa^½`), and sum `√max(μ, 0)` over the
 * eigenvalues μ of the symmetric PSD `M`. Rank-deficient covariances need no `eps·I` offset:
 * zero or rounding-negative eigenvalues contribute 0. The result is clamped at 0 (it is a squared
 * distance; identical inputs give ±rounding).
 */
export function frechetDistance(a: ActivationStatistics | GaussianStatistics, b: ActivationStatistics | GaussianStatistics): number {
  const where = 'frechetDistance';
  const sa = readStatistics(where, 'a', a);
  const sb = readStatistics(where, 'b', b);
  if (sa.d !== sb.d) throw new Error(`${where}: 'a' and 'b' must have the same dimension; got ${sa.d} and ${sb.d}`);
  return frechetFromArrays(where, sa.mean, sa.cov, sb.mean, sb.cov, sa.d);
}

/** Eigenvalues (ascending) below −1e-9·max|λ| mean the covariance is not PSD (not rounding noise). */
function checkPsd(where: string, name: string, values: Float64Array): void {
  const scale = Math.max(Math.abs(values[0]), Math.abs(values[values.length - 1]));
  if (values[0] < -PSD_TOLERANCE * scale) {
    throw new Error(`${where}: the covariance of '${name}' is not positive semi-definite (eigenvalue ${values[0]}, largest magnitude ${scale})`);
  }
}

function frechetFromArrays(where: string, muA: Float64Array, covA: Float64Array, muB: Float64Array, covB: Float64Array, d: number): number {
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (muA[i] - muB[i]) ** 2;
  let trA = 0;
  let trB = 0;
  for (let i = 0; i < d; i++) {
    trA += covA[i * d + i];
    trB += covB[i * d + i];
  }
  if (!Number.isFinite(trA + trB + meanTerm)) {
    throw new Error(`${where}: the statistics overflow float64 (trace or mean difference is not finite); rescale the activations`);
  }
  const eigA = symmetricEigen(covA, d);
  checkPsd(where, 'a', eigA.values);
  const sqrtLambda = Float64Array.from(eigA.values, (l) => Math.sqrt(Math.max(l, 0)));
  const c = congruence(eigA.vectors, covB, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) c[i * d + j] *= sqrtLambda[i] * sqrtLambda[j];
  const mu = symmetricEigenvalues(c, d);
  checkPsd(where, 'b', mu);
  let trSqrt = 0;
  for (let i = 0; i < d; i++) trSqrt += Math.sqrt(Math.max(mu[i], 0));
  return Math.max(0, meanTerm + trA + trB - 2 * trSqrt);
}

/**
 * Fréchet Inception Distance between two sets of activations `[na, d]` and `[nb, d]` of any
 * embedding (Inception pool3 for the standard FID; gankit's examples use their own feature
 * networks, so values are comparable only within one embedding). Tensors or number[][].
 * Means and unbiased covariances in float64 ({@link activationStatistics}), then
 * {@link frechetDistance}. Each set needs ≥ 2 samples; with fewer samples than features the
 * covariances are rank-deficient (handled) and FID is strongly biased upwards — compare FIDs only
 * at equal sample counts.
 *
 * Cost: O(n·d²) for the covariances plus two d×d eigen-decompositions (d = 512: ~1.5 s in JS).
 */
export function fidFromActivations(a: MatrixLike, b: MatrixLike): number {
  const where = 'fidFromActivations';
  const sa = activationStatistics(a, where, 'a');
  const sb = activationStatistics(b, where, 'b');
  if (sa.dim !== sb.dim) {
    throw new Error(`${where}: 'a' and 'b' must have the same number of features; got [${sa.count}, ${sa.dim}] and [${sb.count}, ${sb.dim}]`);
  }
  return frechetFromArrays(where, sa.mean, sa.covariance, sb.mean, sb.covariance, sa.dim);
}
