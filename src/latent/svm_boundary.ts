/**
 * InterFaceGAN semantic boundaries: a linear soft-margin SVM and `train_boundary`.
 *
 * Reference: genforce/interfacegan `utils/manipulator.py` (`train_boundary`, sklearn
 * `svm.SVC(kernel='linear')`, C = 1). The SVM here solves the same problem as libsvm's C-SVC with
 * a linear kernel: the dual `min ½αᵀQα − 1ᵀα, 0 ≤ α ≤ C, yᵀα = 0`, `Q_ij = y_i y_j x_iᵀx_j`, by
 * sequential minimal optimisation with libsvm's second-order working-set selection (Fan, Chen &
 * Lin 2005, WSS 2) and the same stopping rule (maximal violation < tol, default 1e-3) and bias
 * (average over free support vectors). Kernel rows are computed on demand with a bounded cache.
 * The solver itself is in smo_solver.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../util/random.js';
import { type Mat, type MatrixLike, readMatrix } from '../linalg/index.js';
import { type LinearSvmOptions, type LinearSvmResult, solveSvm } from './smo_solver.js';

export type { LinearSvmOptions, LinearSvmResult } from './smo_solver.js';

/**
 * Train a linear C-SVM on rows of `X` with binary `labels` (1 / true = positive, 0 / −1 / false =
 * negative). libsvm `Solver::Solve` (no shrinking) with WSS 2; sklearn `SVC(kernel='linear')`.
 */
export function linearSvm(X: MatrixLike, labels: ArrayLike<number | boolean> | tf.Tensor, options: LinearSvmOptions = {}): LinearSvmResult {
  const where = 'linearSvm';
  const m = readMatrix(where, 'X', X);
  const y = readLabels(where, labels, m.rows);
  return solveSvm(where, m, y, options);
}

function readLabels(where: string, labels: ArrayLike<number | boolean> | tf.Tensor, n: number): Int8Array {
  const raw = labels instanceof tf.Tensor ? labels.dataSync() : labels;
  if (raw.length !== n) throw new Error(`${where}: 'labels' must have one entry per row (${n}); got ${raw.length}`);
  const y = new Int8Array(n);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (v === true || v === 1) y[i] = 1;
    else if (v === false || v === 0 || v === -1) y[i] = -1;
    else throw new Error(`${where}: 'labels' must be 1/0, 1/−1 or booleans; entry ${i} is ${String(v)}`);
    if (y[i] > 0) pos++;
  }
  if (pos === 0 || pos === n) throw new Error(`${where}: 'labels' must contain both classes; got ${pos} positive of ${n}`);
  return y;
}

export interface TrainBoundaryOptions extends LinearSvmOptions {
  /** Samples per class: a ratio of N if in (0, 1], else a count; capped at N/2. Default 0.02. */
  chosenNumOrRatio?: number;
  /** Fraction of the chosen samples used for training (rest: validation). Default 0.7. */
  splitRatio?: number;
  /** Rows whose score equals this are dropped first. */
  invalidValue?: number;
  /** Seed of the positive/negative shuffles. */
  seed?: number;
}

export interface BoundaryResult<T> {
  /** Unit normal [1, dim] (Tensor2D or number[][] like the latents); the intercept is dropped, as the reference. */
  boundary: T;
  /** SVM bias (reported only; the boundary passes through the origin, as the reference). */
  intercept: number;
  /** Validation accuracy (NaN when no validation samples). */
  validationAccuracy: number;
  /** Accuracy on the unchosen middle samples labelled by the threshold (max + min)/2 (NaN if none). */
  remainingAccuracy: number;
  trainCount: number;
  validationCount: number;
}

/**
 * InterFaceGAN `train_boundary(latent_codes, scores, chosen_num_or_ratio=0.02, split_ratio=0.7,
 * invalid_value=None)`: sort by score descending, take the top and bottom `chosen` samples as
 * positives / negatives, shuffle each and split `int(chosen·split_ratio)` for training, fit a
 * linear SVM (C = 1), return `coef / ‖coef‖` (intercept discarded).
 * Note: as the code (not its docstring), ratios are accepted in (0, 1].
 */
export function trainBoundary<T extends MatrixLike>(latents: T, scores: MatrixLike | number[], options: TrainBoundaryOptions = {}): BoundaryResult<T extends tf.Tensor ? tf.Tensor2D : number[][]> {
  const where = 'trainBoundary';
  const m = readMatrix(where, 'latents', latents);
  const rawScores = readScores(where, scores);
  if (rawScores.length !== m.rows) throw new Error(`${where}: 'scores' must be [N, 1] with N = ${m.rows}; got ${rawScores.length} scores`);
  const ratio = options.chosenNumOrRatio ?? 0.02;
  const split = options.splitRatio ?? 0.7;
  if (!(ratio > 0)) throw new Error(`${where}: 'chosenNumOrRatio' must be positive; got ${ratio}`);
  if (!(split > 0 && split <= 1)) throw new Error(`${where}: 'splitRatio' must be in (0, 1]; got ${split}`);
  let idx = Array.from({ length: m.rows }, (_, i) => i);
  if (options.invalidValue !== undefined) idx = idx.filter((i) => rawScores[i] !== options.invalidValue);
  for (const i of idx) if (!Number.isFinite(rawScores[i])) throw new Error(`${where}: 'scores' must be finite; row ${i} is ${rawScores[i]}`);
  idx.sort((a, b) => rawScores[b] - rawScores[a]);
  const N = idx.length;
  let chosen = ratio <= 1 ? Math.floor(N * ratio) : Math.floor(ratio);
  chosen = Math.min(chosen, Math.floor(N / 2));
  const trainNum = Math.floor(chosen * split);
  const valNum = chosen - trainNum;
  if (trainNum < 1) throw new Error(`${where}: too few samples: ${N} rows with chosenNumOrRatio ${ratio} and splitRatio ${split} leave ${trainNum} training samples per class`);
  const rng = new Random(options.seed ?? 0);
  const posPerm = Array.from(rng.permutation(chosen));
  const negPerm = Array.from(rng.permutation(chosen));
  const pos = idx.slice(0, chosen);
  const neg = idx.slice(N - chosen);
  const trainRows = [...posPerm.slice(0, trainNum).map((p) => pos[p]), ...negPerm.slice(0, trainNum).map((p) => neg[p])];
  const trainY = new Int8Array(2 * trainNum).fill(-1);
  trainY.fill(1, 0, trainNum);
  const valRows = [...posPerm.slice(trainNum).map((p) => pos[p]), ...negPerm.slice(trainNum).map((p) => neg[p])];
  const d = m.cols;
  const gather = (rows: number[]): Mat => {
    const data = new Float64Array(rows.length * d);
    rows.forEach((r, k) => {
      for (let c = 0; c < d; c++) data[k * d + c] = m.data[r * d + c];
    });
    return { data, rows: rows.length, cols: d };
  };
  const svm = solveSvm(where, gather(trainRows), trainY, options);
  const decide = (r: number): number => {
    let s = svm.intercept;
    for (let c = 0; c < d; c++) s += svm.coef[c] * m.data[r * d + c];
    return s > 0 ? 1 : 0;
  };
  let valCorrect = 0;
  valRows.forEach((r, k) => {
    if (decide(r) === (k < valNum ? 1 : 0)) valCorrect++;
  });
  const remaining = idx.slice(chosen, N - chosen);
  const threshold = (rawScores[idx[0]] + rawScores[idx[N - 1]]) / 2;
  let remCorrect = 0;
  for (const r of remaining) if (decide(r) === (rawScores[r] < threshold ? 0 : 1)) remCorrect++;
  let nrm = 0;
  for (let c = 0; c < d; c++) nrm += svm.coef[c] * svm.coef[c];
  nrm = Math.sqrt(nrm);
  if (!(nrm > 0)) throw new Error(`${where}: the SVM found a zero normal (classes not separable by any direction?)`);
  const unit = Float32Array.from(svm.coef, (v) => v / nrm);
  const boundary = latents instanceof tf.Tensor ? tf.tensor2d(unit, [1, d]) : [Array.from(unit)];
  return {
    boundary: boundary as never,
    intercept: svm.intercept,
    validationAccuracy: valNum > 0 ? valCorrect / (2 * valNum) : NaN,
    remainingAccuracy: remaining.length > 0 ? remCorrect / remaining.length : NaN,
    trainCount: 2 * trainNum,
    validationCount: 2 * valNum,
  };
}

function readScores(where: string, scores: MatrixLike | number[]): Float64Array {
  if (scores instanceof tf.Tensor) {
    if (!(scores.rank === 1 || (scores.rank === 2 && scores.shape[1] === 1))) {
      throw new Error(`${where}: 'scores' must have shape [N, 1] or [N]; got [${scores.shape.join(', ')}]`);
    }
    return Float64Array.from(scores.dataSync());
  }
  if (!Array.isArray(scores)) throw new Error(`${where}: 'scores' must be a Tensor, number[] or number[][]`);
  return Float64Array.from(scores as (number | number[])[], (v, i) => {
    if (Array.isArray(v)) {
      if (v.length !== 1) throw new Error(`${where}: 'scores' must be [N, 1]; row ${i} has ${v.length} entries`);
      return v[0];
    }
    return v;
  });
}
