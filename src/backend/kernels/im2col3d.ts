/**
 * im2col / col2im for 3-D convolutions (NDHWC, filters [kd, kh, kw, C, O]) and the chunking that
 * keeps the column buffers small. Shared by gankit's Conv3D, Conv3DBackpropFilterV2 and
 * Conv3DBackpropInputV2 kernels, which turn each 3-D conv into the backend's BatchMatMul
 * (XNNPACK on wasm). Column index k = ((a·kh + b)·kw + c)·C + ci matches the filter's flattening.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface Geometry3D {
  /** Samples in this chunk, input spatial size and channels. */
  N: number;
  D: number;
  H: number;
  W: number;
  C: number;
  kd: number;
  kh: number;
  kw: number;
  Do: number;
  Ho: number;
  Wo: number;
  sd: number;
  sh: number;
  sw: number;
  dd: number;
  dh: number;
  dw: number;
  pf: number;
  pt: number;
  pl: number;
}

export function geometryFrom(info: tf.backend_util.Conv3DInfo): Geometry3D {
  return {
    N: info.batchSize,
    D: info.inDepth,
    H: info.inHeight,
    W: info.inWidth,
    C: info.inChannels,
    kd: info.filterDepth,
    kh: info.filterHeight,
    kw: info.filterWidth,
    Do: info.outDepth,
    Ho: info.outHeight,
    Wo: info.outWidth,
    sd: info.strideDepth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dd: info.dilationDepth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    pf: info.padInfo.front,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
  };
}

/** A 2-D conv as a 3-D geometry with depth 1 (so the 3-D im2col/col2im serve both). */
export function geometry2d(info: tf.backend_util.Conv2DInfo): Geometry3D {
  return {
    N: info.batchSize,
    D: 1,
    H: info.inHeight,
    W: info.inWidth,
    C: info.inChannels,
    kd: 1,
    kh: info.filterHeight,
    kw: info.filterWidth,
    Do: 1,
    Ho: info.outHeight,
    Wo: info.outWidth,
    sd: 1,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dd: 1,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    pf: 0,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
  };
}

/** The attributes of tfjs's `Conv2D` kernel (the backprop kernels carry all but `dilations`, plus a shape). */
export interface Conv2DAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Column buffers are kept under `columnBudget` floats (default 64 MB) by processing samples in groups. */
export const im2colSettings = { columnBudget: 16 * 1024 * 1024 };

/** How many samples go in one chunk so that rows·K stays within the budget (at least 1). */
export function samplesPerChunk(g: Geometry3D): number {
  const perSample = g.Do * g.Ho * g.Wo * g.kd * g.kh * g.kw * g.C;
  return Math.max(1, Math.min(g.N, Math.floor(im2colSettings.columnBudget / Math.max(1, perSample))));
}

/** A conv's GEMM sizes: K = kd·kh·kw·C (column width), output voxels per sample, samples per chunk. */
export function chunkPlan(g: Geometry3D): { K: number; perSample: number; chunk: number } {
  return { K: g.kd * g.kh * g.kw * g.C, perSample: g.Do * g.Ho * g.Wo, chunk: samplesPerChunk(g) };
}

/**
 * col[m, k] for samples n0 … n0 + count − 1 (m counts their output voxels in order):
 * x[n, z·sd + a·dd − pf, i·sh + b·dh − pt, j·sw + c·dw − pl, ci], zero outside x.
 */
export function im2col3d(x: Float32Array, col: Float32Array, g: Geometry3D, n0: number, count: number): void {
  const { D, H, W, C, kd, kh, kw, Do, Ho, Wo, sd, sh, sw, dd, dh, dw, pf, pt, pl } = g;
  const K = kd * kh * kw * C;
  let row = 0;
  for (let n = n0; n < n0 + count; n++) {
    for (let z = 0; z < Do; z++) {
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) {
          let dst = row * K;
          for (let a = 0; a < kd; a++) {
            const zz = z * sd + a * dd - pf;
            const zOk = zz >= 0 && zz < D;
            for (let b = 0; b < kh; b++) {
              const yy = i * sh + b * dh - pt;
              const yOk = zOk && yy >= 0 && yy < H;
              for (let c = 0; c < kw; c++) {
                const xx = j * sw + c * dw - pl;
                if (yOk && xx >= 0 && xx < W) {
                  const src = (((n * D + zz) * H + yy) * W + xx) * C;
                  col.set(x.subarray(src, src + C), dst);
                } else {
                  col.fill(0, dst, dst + C);
                }
                dst += C;
              }
            }
          }
          row++;
        }
      }
    }
  }
}

/**
 * Transposed columns colᵀ[k, m] (K rows of M = count·Do·Ho·Wo) for samples n0 … n0 + count − 1.
 */
export function im2col3dTransposed(x: Float32Array, col: Float32Array, g: Geometry3D, n0: number, count: number): void {
  const { D, H, W, C, kd, kh, kw, Do, Ho, Wo, sd, sh, sw, dd, dh, dw, pf, pt, pl } = g;
  const M = count * Do * Ho * Wo;
  for (let a = 0; a < kd; a++) {
    for (let b = 0; b < kh; b++) {
      for (let c = 0; c < kw; c++) {
        const rowBase = ((a * kh + b) * kw + c) * C;
        for (let ci = 0; ci < C; ci++) {
          let dst = (rowBase + ci) * M;
          for (let n = n0; n < n0 + count; n++) {
            for (let z = 0; z < Do; z++) {
              const zz = z * sd + a * dd - pf;
              if (zz < 0 || zz >= D) {
                col.fill(0, dst, dst + Ho * Wo);
                dst += Ho * Wo;
                continue;
              }
              for (let i = 0; i < Ho; i++) {
                const yy = i * sh + b * dh - pt;
                if (yy < 0 || yy >= H) {
                  col.fill(0, dst, dst + Wo);
                  dst += Wo;
                  continue;
                }
                const rowOff = ((n * D + zz) * H + yy) * W;
                for (let j = 0; j < Wo; j++) {
                  const xx = j * sw + c * dw - pl;
                  col[dst++] = xx < 0 || xx >= W ? 0 : x[(rowOff + xx) * C + ci];
                }
              }
            }
          }
        }
      }
    }
  }
}

/** The adjoint of {@link im2col3d}: dx[n, voxel] += col[m, k] for samples n0 … n0 + count − 1. */
export function col2im3d(col: Float32Array, dx: Float32Array, g: Geometry3D, n0: number, count: number): void {
  const { D, H, W, C, kd, kh, kw, Do, Ho, Wo, sd, sh, sw, dd, dh, dw, pf, pt, pl } = g;
  let src = 0;
  for (let n = n0; n < n0 + count; n++) {
    for (let z = 0; z < Do; z++) {
      for (let i = 0; i < Ho; i++) {
        for (let j = 0; j < Wo; j++) {
          for (let a = 0; a < kd; a++) {
            const zz = z * sd + a * dd - pf;
            const zOk = zz >= 0 && zz < D;
            for (let b = 0; b < kh; b++) {
              const yy = i * sh + b * dh - pt;
              const yOk = zOk && yy >= 0 && yy < H;
              for (let c = 0; c < kw; c++) {
                const xx = j * sw + c * dw - pl;
                if (yOk && xx >= 0 && xx < W) {
                  const dst = (((n * D + zz) * H + yy) * W + xx) * C;
                  for (let ci = 0; ci < C; ci++) dx[dst + ci] += col[src + ci];
                }
                src += C;
              }
            }
          }
        }
      }
    }
  }
}
