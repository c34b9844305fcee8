/**
 * The cross-product XᵀX (and XᵀY) of a tall matrix, the heavy step of PCA, regression and the
 * streaming estimators: either a blocked float64 JavaScript kernel (4×4 register tiles over
 * column-major row panels, the fast path on the pure-JS `cpu` backend) or the tfjs backend's own
 * matMul on float32 row chunks accumulated in float64 (the fast path on wasm / node / webgl, where
 * XNNPACK or BLAS run the product).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Mat } from './rows.js';

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
