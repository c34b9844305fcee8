/**
 * Dense float64 linear algebra shared by the latent tools (internal module).
 *
 * The heavy step of PCA, regression and the streaming estimators is the cross-product XᵀX of a
 * tall matrix. It is computed here either by a blocked float64 JavaScript kernel (4×4 register
 * tiles over column-major row panels, the fast path on the pure-JS `cpu` backend) or by the tfjs
 * backend's own matMul on float32 row chunks accumulated in float64 (the fast path on wasm / node /
 * webgl, where XNNPACK or BLAS run the product). The small dim×dim problems that follow
 * (eigendecomposition, Cholesky) run in float64.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describeValue as describe } from '../util/validate.js';
import { eighDescending, eighTopK } from './eigh.js';

export type Floats = Float32Array | Float64Array;

/** A row-major matrix view: element (r, c) is `data[r * cols + c]`. */
export interface Mat {
  data: Floats;
  rows: number;
  cols: number;
}

/** A batch of row vectors given as a rank-2 Tensor or a rectangular `number[][]`. */
export type MatrixLike = tf.Tensor | number[][];
export type Kind = 'tensor' | 'array';
/** A Tensor input gives a Tensor2D back, a number[][] input a number[][]. */
export type SameKind<T> = T extends tf.Tensor ? tf.Tensor2D : number[][];

export function kindOf(x: unknown): Kind {
  return x instanceof tf.Tensor ? 'tensor' : 'array';
}

/** Read a rank-2 Tensor or number[][] into a row-major matrix (tensors are read without a copy to float64). */
export function readMatrix(where: string, name: string, x: MatrixLike, options: { finite?: boolean } = {}): Mat {
  let m: Mat;
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) throw new Error(`${where}: '${name}' must be a rank-2 tensor [rows, dim]; got shape [${x.shape.join(', ')}]`);
    const d = x.dataSync();
    m = { data: d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>), rows: x.shape[0] as number, cols: x.shape[1] as number };
  } else {
    if (!Array.isArray(x) || x.length === 0 || !Array.isArray(x[0])) {
      throw new Error(`${where}: '${name}' must be a non-empty number[][] or a rank-2 tensor; got ${describe(x)}`);
    }
    const rows = x.length;
    const cols = x[0].length;
    const data = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = x[r];
      if (!Array.isArray(row) || row.length !== cols) {
        throw new Error(`${where}: '${name}' must be rectangular; row 0 has ${cols} entries but row ${r} has ${Array.isArray(row) ? row.length : typeof row}`);
      }
      for (let c = 0; c < cols; c++) data[r * cols + c] = row[c];
    }
    m = { data, rows, cols };
  }
  if (m.rows === 0 || m.cols === 0) throw new Error(`${where}: '${name}' must be non-empty; got shape [${m.rows}, ${m.cols}]`);
  if (options.finite !== false) assertFiniteRows(where, name, m);
  return m;
}

/** Throws naming the first row that holds a NaN or ±Inf. */
export function assertFiniteRows(where: string, name: string, m: Mat): void {
  const { data, cols } = m;
  // fast path: x·0 is NaN exactly when x is NaN or ±Inf, and NaN survives the sum
  let probe = 0;
  for (let i = 0; i < data.length; i++) probe += data[i] * 0;
  if (probe === 0) return;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / cols);
      throw new Error(`${where}: '${name}' must be finite; row ${r} column ${i - r * cols} is ${data[i]}`);
    }
  }
}

/** Write a row-major matrix back as the requested kind. */
export function writeMatrix(m: Mat, kind: Kind): tf.Tensor2D | number[][] {
  if (kind === 'tensor') return tf.tensor2d(m.data instanceof Float32Array ? m.data : Float32Array.from(m.data), [m.rows, m.cols]);
  const out: number[][] = new Array(m.rows);
  for (let r = 0; r < m.rows; r++) out[r] = Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols));
  return out;
}

/** Read a single vector given as [D], [1, D] (tensor) or number[] / [[...]] (array). */
export function readVector(where: string, name: string, v: tf.Tensor | number[] | number[][]): Float64Array {
  let out: Float64Array;
  if (v instanceof tf.Tensor) {
    if (!(v.rank === 1 || (v.rank === 2 && v.shape[0] === 1))) {
      throw new Error(`${where}: '${name}' must have shape [D] or [1, D]; got [${v.shape.join(', ')}]`);
    }
    out = Float64Array.from(v.dataSync());
  } else if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) {
    if (v.length !== 1) throw new Error(`${where}: '${name}' must have shape [D] or [1, D]; got [${v.length}, ${(v[0] as number[]).length}]`);
    out = Float64Array.from(v[0] as number[]);
  } else if (Array.isArray(v)) {
    out = Float64Array.from(v as number[]);
  } else {
    throw new Error(`${where}: '${name}' must be a Tensor, number[] or number[][]; got ${describe(v)}`);
  }
  if (out.length === 0) throw new Error(`${where}: '${name}' must be non-empty`);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new Error(`${where}: '${name}' must be finite; element ${i} is ${out[i]}`);
  }
  return out;
}

/** Write a vector back in the layout of `like` ([D] or [1, D], tensor or array). */
export function writeVectorLike(v: Float64Array, like: tf.Tensor | number[] | number[][]): tf.Tensor | number[] | number[][] {
  if (like instanceof tf.Tensor) return tf.tensor(Float32Array.from(v), like.rank === 1 ? [v.length] : [1, v.length]);
  if (Array.isArray(like[0])) return [Array.from(v)];
  return Array.from(v);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length, aOff = 0, bOff = 0): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[aOff + i] * b[bOff + i];
    s1 += a[aOff + i + 1] * b[bOff + i + 1];
  }
  if (i < n) s0 += a[aOff + i] * b[bOff + i];
  return s0 + s1;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Column means of rows [r0, r1). */
export function columnMeans(m: Mat, r0 = 0, r1 = m.rows): Float64Array {
  const { data, cols } = m;
  const mean = new Float64Array(cols);
  for (let r = r0; r < r1; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) mean[c] += data[o + c];
  }
  const n = r1 - r0;
  for (let c = 0; c < cols; c++) mean[c] /= n;
  return mean;
}

export type CrossprodEngine = 'auto' | 'js' | 'tf';

/**
 * 'auto' uses the backend's matMul when a backend other than the pure-JS cpu one is active, and the
 * float64 JS kernel otherwise — including before any backend is set (`tf.getBackend()` is then
 * undefined; picking 'tf' there would compute in float32 on whatever backend the first op initialises).
 * `activeBackend` is for tests.
 */
export function resolveEngine(engine: CrossprodEngine | undefined, activeBackend: () => string | undefined = () => tf.getBackend()): 'js' | 'tf' {
  if (engine === 'js' || engine === 'tf') return engine;
  const name = activeBackend();
  return !name || name === 'cpu' ? 'js' : 'tf';
}

const PANEL = 128;

/**
 * Accumulate Σ_r (x_r − shift)(x_r − shift)ᵀ over rows [r0, r1) into the full symmetric `out`
 * (cols×cols, row-major), and, if `y` is given, Σ_r (x_r − shift)(y_r − yShift)ᵀ into `outXY`
 * (cols×y.cols).
 */
export function accumulateCrossprod(
  m: Mat,
  out: Float64Array,
  options: {
    r0?: number;
    r1?: number;
    shift?: Float64Array;
    engine?: CrossprodEngine;
    y?: Mat;
    yShift?: Float64Array;
    outXY?: Float64Array;
  } = {},
): void {
  const { r0 = 0, r1 = m.rows, engine, ...rest } = options;
  const range: CrossprodRange = { r0, r1, ...rest };
  if (resolveEngine(engine) === 'tf') accumulateTf(m, out, range);
  else accumulateJs(m, out, range);
}

/** The row range, centring and optional cross-product target both accumulation engines take. */
interface CrossprodRange {
  r0: number;
  r1: number;
  shift?: Float64Array;
  y?: Mat;
  yShift?: Float64Array;
  outXY?: Float64Array;
}

function accumulateJs(m: Mat, out: Float64Array, { r0, r1, shift, y, yShift, outXY }: CrossprodRange): void {
  const d = m.cols;
  const dp = (d + 3) & ~3;
  const panel = new Float64Array(dp * PANEL);
  const upper = new Float64Array(dp * dp);
  let ycols = new Float64Array(0);
  const { data } = m;
  for (let start = r0; start < r1; start += PANEL) {
    const nb = Math.min(PANEL, r1 - start);
    // column-major panel: panel[c * nb + r]
    panel.fill(0);
    for (let r = 0; r < nb; r++) {
      const o = (start + r) * d;
      if (shift) for (let c = 0; c < d; c++) panel[c * nb + r] = data[o + c] - shift[c];
      else for (let c = 0; c < d; c++) panel[c * nb + r] = data[o + c];
    }
    syrkPanel(panel, nb, dp, upper);
    if (y && outXY) {
      const t = y.cols;
      if (ycols.length < t * nb) ycols = new Float64Array(t * PANEL);
      for (let r = 0; r < nb; r++) {
        const yo = (start + r) * t;
        for (let k = 0; k < t; k++) ycols[k * nb + r] = y.data[yo + k] - (yShift ? yShift[k] : 0);
      }
      for (let c = 0; c < d; c++) {
        const po = c * nb;
        for (let k = 0; k < t; k++) {
          const yo = k * nb;
          let s0 = 0;
          let s1 = 0;
          let r = 0;
          for (; r + 1 < nb; r += 2) {
            s0 += panel[po + r] * ycols[yo + r];
            s1 += panel[po + r + 1] * ycols[yo + r + 1];
          }
          if (r < nb) s0 += panel[po + r] * ycols[yo + r];
          outXY[c * t + k] += s0 + s1;
        }
      }
    }
  }
  for (let i = 0; i < d; i++) {
    out[i * d + i] += upper[i * dp + i];
    for (let j = i + 1; j < d; j++) {
      const v = upper[i * dp + j];
      out[i * d + j] += v;
      out[j * d + i] += v;
    }
  }
}

/** Upper-triangular (4×4 tiles) accumulation of PᵀP for a column-major panel P [nb, dp]. */
function syrkPanel(P: Float64Array, nb: number, dp: number, G: Float64Array): void {
  for (let i = 0; i < dp; i += 4) {
    const a0o = i * nb;
    const a1o = a0o + nb;
    const a2o = a1o + nb;
    const a3o = a2o + nb;
    for (let j = i; j < dp; j += 4) {
      const b0o = j * nb;
      const b1o = b0o + nb;
      const b2o = b1o + nb;
      const b3o = b2o + nb;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let r = 0; r < nb; r++) {
        const a0 = P[a0o + r], a1 = P[a1o + r], a2 = P[a2o + r], a3 = P[a3o + r];
        const b0 = P[b0o + r], b1 = P[b1o + r], b2 = P[b2o + r], b3 = P[b3o + r];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
      }
      let o = i * dp + j;
      G[o] += s00; G[o + 1] += s01; G[o + 2] += s02; G[o + 3] += s03;
      o += dp;
      G[o] += s10; G[o + 1] += s11; G[o + 2] += s12; G[o + 3] += s13;
      o += dp;
      G[o] += s20; G[o + 1] += s21; G[o + 2] += s22; G[o + 3] += s23;
      o += dp;
      G[o] += s30; G[o + 1] += s31; G[o + 2] += s32; G[o + 3] += s33;
    }
  }
}

const TF_CHUNK = 4096;

/** Column blocks for the tf engine: only the block upper triangle XᵢᵀXⱼ (i ≤ j) is multiplied. */
function columnBlocks(d: number): [number, number][] {
  const nBlocks = d >= 384 ? 4 : d >= 128 ? 2 : 1;
  const w = Math.ceil(d / nBlocks);
  const out: [number, number][] = [];
  for (let c = 0; c < d; c += w) out.push([c, Math.min(d, c + w)]);
  return out;
}

function accumulateTf(m: Mat, out: Float64Array, { r0, r1, shift, y, yShift, outXY }: CrossprodRange): void {
  const d = m.cols;
  const t = y ? y.cols : 0;
  const blocks = columnBlocks(d);
  const src = m.data;
  for (let start = r0; start < r1; start += TF_CHUNK) {
    const nb = Math.min(TF_CHUNK, r1 - start);
    // Xᵀ (shifted) as [d, nb] and X's column blocks as [nb, w_j], written directly in float32
    const xt = new Float32Array(d * nb);
    const xb = blocks.map(([c0, c1]) => new Float32Array(nb * (c1 - c0)));
    for (let r = 0; r < nb; r++) {
      const o = (start + r) * d;
      blocks.forEach(([c0, c1], j) => {
        const w = c1 - c0;
        const dst = xb[j];
        const ro = r * w;
        for (let c = c0; c < c1; c++) {
          const v = shift ? src[o + c] - shift[c] : src[o + c];
          xt[c * nb + r] = v;
          dst[ro + c - c0] = v;
        }
      });
    }
    let ybuf: Float32Array | null = null;
    if (y && outXY) {
      ybuf = new Float32Array(nb * t);
      for (let r = 0; r < nb; r++) for (let k = 0; k < t; k++) ybuf[r * t + k] = y.data[(start + r) * t + k] - (yShift ? yShift[k] : 0);
    }
    const products = tf.tidy(() => {
      const xtBlocks = blocks.map(([c0, c1]) => tf.tensor2d(xt.subarray(c0 * nb, c1 * nb), [c1 - c0, nb]));
      const xBlocks = blocks.map(([c0, c1], j) => tf.tensor2d(xb[j], [nb, c1 - c0]));
      const res: tf.Tensor[] = [];
      for (let i = 0; i < blocks.length; i++) for (let j = i; j < blocks.length; j++) res.push(tf.matMul(xtBlocks[i], xBlocks[j]));
      if (ybuf) {
        const yt = tf.tensor2d(ybuf, [nb, t]);
        for (let i = 0; i < blocks.length; i++) res.push(tf.matMul(xtBlocks[i], yt));
      }
      return res;
    });
    let p = 0;
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i; j < blocks.length; j++) {
        const [a0, a1] = blocks[i];
        const [b0, b1] = blocks[j];
        const w = b1 - b0;
        const g = products[p++].dataSync();
        for (let a = a0; a < a1; a++) {
          const go = (a - a0) * w;
          for (let bcol = b0; bcol < b1; bcol++) {
            const v = g[go + bcol - b0];
            out[a * d + bcol] += v;
            if (i !== j) out[bcol * d + a] += v;
          }
        }
      }
    }
    if (ybuf && outXY) {
      for (let i = 0; i < blocks.length; i++) {
        const [a0, a1] = blocks[i];
        const g = products[p++].dataSync();
        for (let a = a0; a < a1; a++) for (let k = 0; k < t; k++) outXY[a * t + k] += g[(a - a0) * t + k];
      }
    }
    tf.dispose(products);
  }
}

/** Symmetrise in place (average with the transpose). */
export function symmetrize(S: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = 0.5 * (S[i * n + j] + S[j * n + i]);
      S[i * n + j] = v;
      S[j * n + i] = v;
    }
  }
}

/**
 * Eigendecomposition of a symmetric n×n matrix (Householder tridiagonalisation + implicit QL, see
 * ./eigh.ts). Returns eigenvalues in descending order and the eigenvectors as the rows of
 * `vectors` (row i belongs to values[i]).
 */
export function symEig(S: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  return eighDescending(S, n);
}

/** The k largest eigenpairs only (see ./eigh.ts `eighTopK`), same layout as {@link symEig}. */
export function symEigTop(S: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  return eighTopK(S, n, Math.min(k, n));
}

/** Flip each row so that its largest-magnitude entry is positive (sklearn `svd_flip(u_based_decision=False)`). */
export function flipRowsByMaxAbs(V: Float64Array, k: number, d: number): void {
  for (let i = 0; i < k; i++) {
    let best = 0;
    let arg = 0;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(V[i * d + j]);
      if (a > best) {
        best = a;
        arg = j;
      }
    }
    if (V[i * d + arg] < 0) for (let j = 0; j < d; j++) V[i * d + j] = -V[i * d + j];
  }
}

/**
 * Cholesky factor L (row-major n×n, lower triangle; A = L·Lᵀ) of the symmetric matrix A, or null
 * when a pivot is not above `minPivot` (A not numerically positive definite).
 */
export function cholesky(A: Float64Array, n: number, minPivot: number): Float64Array | null {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = A[j * n + j];
    for (let k = 0; k < j; k++) s -= L[j * n + k] * L[j * n + k];
    if (!(s > minPivot)) return null;
    const ljj = Math.sqrt(s);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = A[i * n + j];
      for (let k = 0; k < j; k++) t -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = t / ljj;
    }
  }
  return L;
}

/**
 * Solve A X = B for symmetric positive (semi)definite A (n×n) and B (n×m), both row-major.
 * Cholesky first; if A is not numerically positive definite, falls back to the minimum-norm
 * solution through the eigendecomposition (eigenvalues below `rcond·λ_max` treated as zero, as
 * LAPACK gelsd does for singular values).
 */
export function solveSymmetric(A: Float64Array, n: number, B: Float64Array, m: number, rcond = 1e-12): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, A[i * n + i]);
  const L = cholesky(A, n, maxDiag * 1e-13);
  const X = new Float64Array(n * m);
  if (L) {
    for (let col = 0; col < m; col++) {
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = B[i * m + col];
        for (let k = 0; k < i; k++) s -= L[i * n + k] * z[k];
        z[i] = s / L[i * n + i];
      }
      for (let i = n - 1; i >= 0; i--) {
        let s = z[i];
        for (let k = i + 1; k < n; k++) s -= L[k * n + i] * X[k * m + col];
        X[i * m + col] = s / L[i * n + i];
      }
    }
    return X;
  }
  const { values, vectors } = symEig(A, n);
  const cutoff = Math.max(values[0], 0) * rcond;
  for (let k = 0; k < n; k++) {
    if (!(values[k] > cutoff)) continue;
    const inv = 1 / values[k];
    for (let col = 0; col < m; col++) {
      let proj = 0;
      for (let i = 0; i < n; i++) proj += vectors[k * n + i] * B[i * m + col];
      proj *= inv;
      for (let i = 0; i < n; i++) X[i * m + col] += proj * vectors[k * n + i];
    }
  }
  return X;
}
