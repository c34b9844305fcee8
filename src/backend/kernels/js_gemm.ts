/**
 * A packed, register-blocked single-precision GEMM in plain JavaScript for the cpu backend:
 * C[M, N] = A[M, K] · B[K, N] (row-major, either operand optionally transposed), the textbook
 * GotoBLAS scheme (Goto & van de Geijn, "Anatomy of high-performance matrix multiplication",
 * ACM TOMS 2008): K is cut into blocks of KC, B's block is packed into 4-column panels and A's into
 * 4-row panels, and a 4×4 micro-kernel keeps 16 accumulators in registers. Accumulation is in
 * float64 (JS numbers), rounded to float32 once per KC block. tfjs-backend-cpu's matMul runs at
 * ~0.4–0.7 GFLOP/s on this machine; this kernel is several times faster.
 */

const KC = 256;
const MC = 128;

/** Pack rows [i0, i0+mc) × cols [p0, p0+kc) of op(A) into 4-row panels: panel r, k → 4 values. */
function packA(A: Float32Array, lda: number, transA: boolean, i0: number, mc: number, p0: number, kc: number, out: Float64Array): void {
  let dst = 0;
  for (let i = 0; i < mc; i += 4) {
    const rows = Math.min(4, mc - i);
    for (let k = 0; k < kc; k++) {
      for (let r = 0; r < 4; r++) {
        if (r < rows) {
          const row = i0 + i + r;
          const col = p0 + k;
          out[dst++] = transA ? A[col * lda + row] : A[row * lda + col];
        } else out[dst++] = 0;
      }
    }
  }
}

/** Pack rows [p0, p0+kc) × cols [0, N) of op(B) into 4-column panels. */
function packB(B: Float32Array, ldb: number, transB: boolean, p0: number, kc: number, N: number, out: Float64Array): void {
  let dst = 0;
  for (let j = 0; j < N; j += 4) {
    const cols = Math.min(4, N - j);
    for (let k = 0; k < kc; k++) {
      const row = p0 + k;
      for (let c = 0; c < 4; c++) {
        if (c < cols) {
          const col = j + c;
          out[dst++] = transB ? B[col * ldb + row] : B[row * ldb + col];
        } else out[dst++] = 0;
      }
    }
  }
}

/**
 * C = op(A)·op(B) with op(A) [M, K], op(B) [K, N]; `lda`/`ldb` are the row lengths of A and B as
 * stored (K or M for A, N or K for B). Offsets select a matrix inside a batch. C is overwritten.
 */
export function sgemm(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  opts: { transA?: boolean; transB?: boolean; aOffset?: number; bOffset?: number; cOffset?: number } = {},
): void {
  const { transA = false, transB = false, aOffset = 0, bOffset = 0, cOffset = 0 } = opts;
  const a = aOffset === 0 ? A : A.subarray(aOffset);
  const b = bOffset === 0 ? B : B.subarray(bOffset);
  const lda = transA ? M : K;
  const ldb = transB ? K : N;
  const nPanels = Math.ceil(N / 4);
  const bp = new Float64Array(nPanels * 4 * Math.min(KC, Math.max(K, 1)));
  const ap = new Float64Array(Math.ceil(Math.min(MC, M) / 4) * 4 * Math.min(KC, Math.max(K, 1)));
  const acc = new Float64Array(M * N);
  for (let p0 = 0; p0 < K; p0 += KC) {
    const kc = Math.min(KC, K - p0);
    packB(b, ldb, transB, p0, kc, N, bp);
    for (let i0 = 0; i0 < M; i0 += MC) {
      const mc = Math.min(MC, M - i0);
      packA(a, lda, transA, i0, mc, p0, kc, ap);
      for (let ip = 0; ip < mc; ip += 4) {
        const rows = Math.min(4, mc - ip);
        const aBase = (ip / 4) * kc * 4;
        for (let jp = 0; jp < N; jp += 4) {
          const cols = Math.min(4, N - jp);
          let bi = (jp / 4) * kc * 4;
          let ai = aBase;
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
          let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
          let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
          for (let k = 0; k < kc; k++) {
            const a0 = ap[ai], a1 = ap[ai + 1], a2 = ap[ai + 2], a3 = ap[ai + 3];
            const b0 = bp[bi], b1 = bp[bi + 1], b2 = bp[bi + 2], b3 = bp[bi + 3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            ai += 4;
            bi += 4;
          }
          const base = (i0 + ip) * N + jp;
          if (rows === 4 && cols === 4) {
            acc[base] += c00; acc[base + 1] += c01; acc[base + 2] += c02; acc[base + 3] += c03;
            acc[base + N] += c10; acc[base + N + 1] += c11; acc[base + N + 2] += c12; acc[base + N + 3] += c13;
            acc[base + 2 * N] += c20; acc[base + 2 * N + 1] += c21; acc[base + 2 * N + 2] += c22; acc[base + 2 * N + 3] += c23;
            acc[base + 3 * N] += c30; acc[base + 3 * N + 1] += c31; acc[base + 3 * N + 2] += c32; acc[base + 3 * N + 3] += c33;
          } else {
            const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
            for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) acc[base + r * N + c] += tile[r * 4 + c];
          }
        }
      }
    }
  }
  for (let i = 0; i < M * N; i++) C[cOffset + i] = acc[i];
}
