/**
 * Symmetric eigendecomposition on flat Float64Arrays (internal).
 *
 * Householder tridiagonalisation + implicit QL with Wilkinson-type shifts: the EISPACK
 * `tred2` / `tql2` pair as published in the public-domain JAMA package (the algorithm ml-matrix
 * also uses), rewritten on one row-major Float64Array that stores the TRANSPOSE of JAMA's `V`, so
 * that every inner loop (Householder updates, accumulation, QL rotations) walks contiguous memory.
 * 2–4× faster than ml-matrix's array-of-arrays version at n = 256–512.
 */

function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1 + r * r);
  }
  if (y === 0) return 0;
  const r = x / y;
  return y * Math.sqrt(1 + r * r);
}

/**
 * Eigen-decompose the symmetric n×n matrix `A` (row-major; only read). Returns eigenvalues in
 * DESCENDING order and the eigenvectors as ROWS of `vectors` (row i belongs to values[i]).
 */
export function eighDescending(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  // W = Vᵀ; for symmetric input W = A initially
  const W = Float64Array.from(A.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(W, n, d, e);
  tql2(W, n, d, e);
  // tql2 sorts ascending; reverse
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const src = n - 1 - i;
    values[i] = d[src];
    vectors.set(W.subarray(src * n, (src + 1) * n), i * n);
  }
  return { values, vectors };
}

// W[j*n + k] holds JAMA's V[k][j].
function tred2(W: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  tred2Reduce(W, n, d, e);
  // accumulate transformations
  for (let i = 0; i < n - 1; i++) {
    W[i * n + n - 1] = W[i * n + i]; // V[n-1][i] = V[i][i]
    W[i * n + i] = 1;
    const h = d[i + 1];
    const io1 = (i + 1) * n; // column i+1 of V = row i+1 of W
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = W[io1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const jo = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += W[io1 + k] * W[jo + k];
        for (let k = 0; k <= i; k++) W[jo + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) W[io1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = W[j * n + n - 1];
    W[j * n + n - 1] = 0;
  }
  W[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function tql2(W: Float64Array | null, n: number, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m === n) m = n - 1;
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > 300) throw new Error('eigh: QL iteration did not converge');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          // rotate columns i, i+1 of V = rows i, i+1 of W
          if (!W) continue;
          const a = i * n;
          const b = a + n;
          for (let k = 0; k < n; k++) {
            const hk = W[b + k];
            const vk = W[a + k];
            W[b + k] = s * vk + c * hk;
            W[a + k] = c * vk - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  // selection sort ascending (as JAMA), swapping rows of W
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      if (!W) continue;
      const a = i * n;
      const b = k * n;
      for (let j = 0; j < n; j++) {
        const t = W[a + j];
        W[a + j] = W[b + j];
        W[b + j] = t;
      }
    }
  }
}

/**
 * Top-k eigenpairs of a symmetric matrix without forming the full eigenvector basis:
 * Householder reduction to tridiagonal T = QᵀAQ (tred2's first phase, reflectors kept), all
 * eigenvalues of T by implicit QL without vectors (tql1), eigenvectors of T for the k largest by
 * inverse iteration (tridiagonal LU with partial pivoting; vectors of eigenvalues closer than
 * 1e-3·‖T‖₁ re-orthogonalised against each other, as LAPACK `dstein`), then x = Q·y by applying the
 * reflectors. O(n³·2/3 + k·n²) instead of ~O(3n³): the eigen step of PCA / IncrementalPCA with k ≪ n.
 */
export function eighTopK(A: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  if (k >= n / 3 || n < 8) {
    const full = eighDescending(A, n);
    return { values: full.values.slice(0, k), vectors: full.vectors.slice(0, k * n) };
  }
  const W = Float64Array.from(A.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2Reduce(W, n, d, e);
  // T: diagonal a, sub-diagonal b[i] = T[i][i−1] (b[0] = 0); reflector m (1 ≤ m < n): u = W[m·n + 0..m−1], h = d[m]
  const a = new Float64Array(n);
  for (let j = 0; j < n; j++) a[j] = W[j * n + j];
  const b = e.slice();
  b[0] = 0;
  // eigenvalues (tql1 on copies)
  const ev = a.slice();
  const ee = b.slice();
  tql2(null, n, ev, ee); // ascending
  let tnorm = 0;
  for (let i = 0; i < n; i++) tnorm = Math.max(tnorm, Math.abs(a[i]) + Math.abs(b[i]) + (i + 1 < n ? Math.abs(b[i + 1]) : 0));
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = ev[n - 1 - i];
  const ys: Float64Array[] = [];
  const eps = 2 ** -52;
  const orthTol = 1e-3 * tnorm;
  let clusterStart = 0;
  let seed = 0x2545f491;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return ((seed >>> 0) / 4294967296) * 2 - 1;
  };
  for (let i = 0; i < k; i++) {
    if (i > 0 && Math.abs(values[i - 1] - values[i]) > orthTol) clusterStart = i;
    // perturb the shift slightly for later members of a cluster (as dstein) so the LU differs
    const sigma = values[i] + (i - clusterStart) * 10 * eps * tnorm;
    let y: Float64Array = new Float64Array(n);
    for (let j = 0; j < n; j++) y[j] = rand();
    for (let it = 0; it < 4; it++) {
      const x = solveShiftedTridiagonal(a, b, sigma, y, n, eps * Math.max(tnorm, 1e-300));
      for (let c = clusterStart; c < i; c++) {
        const yc = ys[c];
        let p = 0;
        for (let j = 0; j < n; j++) p += x[j] * yc[j];
        for (let j = 0; j < n; j++) x[j] -= p * yc[j];
      }
      let s = 0;
      for (let j = 0; j < n; j++) s += x[j] * x[j];
      s = Math.sqrt(s);
      if (!(s > 0) || !Number.isFinite(s)) {
        for (let j = 0; j < n; j++) x[j] = rand();
        continue;
      }
      for (let j = 0; j < n; j++) x[j] /= s;
      y = x;
    }
    ys.push(y);
  }
  // back-transform: x = Q y = P_{n−1}(⋯(P_1 y))
  const vectors = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const x = ys[i];
    for (let m = 1; m < n; m++) {
      const h = d[m];
      if (h === 0) continue;
      const uo = m * n;
      let g = 0;
      for (let j = 0; j < m; j++) g += W[uo + j] * x[j];
      g /= h;
      for (let j = 0; j < m; j++) x[j] -= g * W[uo + j];
    }
    vectors.set(x, i * n);
  }
  return { values, vectors };
}

/** Solve (T − σI)x = y for symmetric tridiagonal T (diag a, sub-diag b[i] = T[i][i−1]); zero pivots replaced by `tiny`. */
function solveShiftedTridiagonal(a: Float64Array, b: Float64Array, sigma: number, y: Float64Array, n: number, tiny: number): Float64Array {
  // Gaussian elimination with partial pivoting on the tridiagonal (LAPACK dgttrf/dgttrs pattern)
  const dl = new Float64Array(n); // multipliers
  const dd = new Float64Array(n);
  const du = new Float64Array(n);
  const du2 = new Float64Array(n);
  const piv = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    dd[i] = a[i] - sigma;
    du[i] = i + 1 < n ? b[i + 1] : 0;
  }
  const sub = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) sub[i] = b[i + 1];
  for (let i = 0; i + 1 < n; i++) {
    if (Math.abs(dd[i]) >= Math.abs(sub[i])) {
      if (dd[i] === 0) dd[i] = tiny;
      const f = sub[i] / dd[i];
      dl[i] = f;
      dd[i + 1] -= f * du[i];
      du2[i] = 0;
    } else {
      const f = dd[i] / sub[i];
      dd[i] = sub[i];
      dl[i] = f;
      const t = du[i];
      du[i] = dd[i + 1];
      dd[i + 1] = t - f * dd[i + 1];
      if (i + 2 < n) {
        du2[i] = du[i + 1];
        du[i + 1] = -f * du[i + 1];
      }
      piv[i] = 1;
    }
  }
  if (dd[n - 1] === 0) dd[n - 1] = tiny;
  const x = Float64Array.from(y);
  for (let i = 0; i + 1 < n; i++) {
    if (piv[i]) {
      const t = x[i];
      x[i] = x[i + 1];
      x[i + 1] = t - dl[i] * x[i + 1];
    } else {
      x[i + 1] -= dl[i] * x[i];
    }
  }
  x[n - 1] /= dd[n - 1];
  if (n > 1) x[n - 2] = (x[n - 2] - du[n - 2] * x[n - 1]) / dd[n - 2];
  for (let i = n - 3; i >= 0; i--) x[i] = (x[i] - du[i] * x[i + 1] - du2[i] * x[i + 2]) / dd[i];
  return x;
}

/**
 * tred2's reduction phase only (Householder tridiagonalisation, no accumulation): T's diagonal
 * ends on W's diagonal, its sub-diagonal in `e`, reflector m in W[m·n + 0..m−1] with scale h = d[m].
 * Shared by {@link tred2} (which then accumulates Q) and {@link eighTopK}.
 */
function tred2Reduce(W: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = W[j * n + n - 1]; // V[n-1][j]
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = W[j * n + i - 1]; // V[i-1][j]
        W[j * n + i] = 0; // V[i][j]
        W[i * n + j] = 0; // V[j][i]
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        W[i * n + j] = f; // V[j][i] = f
        const jo = j * n;
        g = e[j] + W[jo + j] * f; // V[j][j]
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = W[jo + k]; // V[k][j]
          g += vkj * d[k];
          e[k] += vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const jo = j * n;
        for (let k = j; k <= i - 1; k++) W[jo + k] -= f * e[k] + g * d[k]; // V[k][j]
        d[j] = W[jo + i - 1]; // V[i-1][j]
        W[jo + i] = 0; // V[i][j]
      }
    }
    d[i] = h;
  }
}
