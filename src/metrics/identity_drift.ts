import { readMatrixStack, type MatrixStackLike } from '../linalg/index.js';
import { mean64, std64 } from './summary.js';

/** How far identity embeddings move from the un-edited sample along a walk. */
export interface IdentityDrift {
  referenceIndex: number;
  /** Per α: mean over samples of the cosine distance 1 − cos(e_α,i, e_ref,i) (0 at the reference). */
  meanCosineDistance: number[];
  /** Per α: population std (ddof 0) of that cosine distance over samples. */
  stdCosineDistance: number[];
  /** Per α: mean Euclidean distance ‖e_α,i − e_ref,i‖ (in the embedding's own units). */
  meanL2Distance: number[];
  stdL2Distance: number[];
}

/**
 * Identity drift along a latent walk (Steering HoloGAN: identity preserved while the expression
 * changes; the L_emb term of its walk loss). `embeddings[k]` holds identity embeddings `[n, d]` of
 * the same n samples edited with the k-th α (a rank-3 tensor `[nAlpha, n, d]` or a list of 2-D
 * tables); row i must be the same sample at every α. `referenceIndex` is the index of α = 0 (the
 * unedited samples). Returns, per α, the mean and std over samples of the cosine distance and the
 * L2 distance to the reference embedding of the same sample. Zero embeddings have no direction
 * and throw.
 */
export function identityDrift(embeddings: MatrixStackLike, referenceIndex: number): IdentityDrift {
  const where = 'identityDrift';
  const stack = readMatrixStack(where, 'embeddings', embeddings);
  if (stack.length < 1) throw new Error(`${where}: 'embeddings' needs at least one α; got none`);
  const { rows: n, cols: d } = stack[0];
  stack.forEach((m, k) => {
    if (m.rows !== n || m.cols !== d) {
      throw new Error(`${where}: every 'embeddings[k]' must have the shape of embeddings[0], [${n}, ${d}]; embeddings[${k}] is [${m.rows}, ${m.cols}]`);
    }
  });
  if (!Number.isInteger(referenceIndex) || referenceIndex < 0 || referenceIndex >= stack.length) {
    throw new Error(`${where}: 'referenceIndex' must be an integer in [0, ${stack.length - 1}]; got ${referenceIndex}`);
  }
  const norms = stack.map((m, k) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += m.data[i * d + t] ** 2;
      if (s === 0) throw new Error(`${where}: embedding of sample ${i} at α index ${k} is all zeros (cosine distance undefined)`);
      out[i] = Math.sqrt(s);
    }
    return out;
  });
  const ref = stack[referenceIndex];
  const result: IdentityDrift = { referenceIndex, meanCosineDistance: [], stdCosineDistance: [], meanL2Distance: [], stdL2Distance: [] };
  stack.forEach((m, k) => {
    const cos = new Float64Array(n);
    const l2 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      let sq = 0;
      for (let t = 0; t < d; t++) {
        const a = m.data[i * d + t];
        const b = ref.data[i * d + t];
        dot += a * b;
        sq += (a - b) ** 2;
      }
      cos[i] = k === referenceIndex ? 0 : 1 - Math.max(-1, Math.min(1, dot / (norms[k][i] * norms[referenceIndex][i])));
      l2[i] = Math.sqrt(sq);
    }
    result.meanCosineDistance.push(mean64(cos));
    result.stdCosineDistance.push(std64(cos));
    result.meanL2Distance.push(mean64(l2));
    result.stdL2Distance.push(std64(l2));
  });
  return result;
}
