import { averageRanks } from './correlation.js';
import { readMatrixStack, type MatrixStackLike } from '../linalg/index.js';

/** Agreement of identity embeddings across the views of one latent code. */
export interface PoseConsistency {
  /** Mean cosine similarity over all pairs of views of the same z ("genuine" pairs). */
  meanWithin: number;
  /** Mean cosine similarity over all pairs of embeddings from different z ("impostor" pairs). */
  meanAcross: number;
  /** meanWithin − meanAcross. */
  gap: number;
  /**
   * Mean cosine distance across z divided by mean cosine distance within z,
   * (1 − meanAcross)/(1 − meanWithin): > 1 when views of one z are closer to each other than to
   * other identities; Infinity when all views of each z embed identically.
   */
  distanceRatio: number;
  /**
   * Verification ROC AUC: the probability that a random genuine pair has a higher cosine
   * similarity than a random impostor pair (ties count ½) — 1 is perfect, 0.5 is chance.
   */
  verificationAuc: number;
  /**
   * Fraction of embeddings whose nearest other embedding (highest cosine) comes from the same z,
   * over the embeddings whose code has at least one other view.
   */
  identificationAccuracy: number;
  genuinePairs: number;
  impostorPairs: number;
}

/**
 * Pose-consistency of identity: for each latent code z the generator renders several views (yaw /
 * elevation sweeps, HoloGAN's pose-invariance grid), an identity network embeds each view, and a
 * pose-consistent generator keeps the identity — embeddings of one z agree more with each other
 * than with other z's. `embeddings[z]` is `[views, d]` (a rank-3 tensor `[nZ, views, d]` or a list
 * of tables; view counts may differ). Needs ≥ 2 codes and at least one code with ≥ 2 views.
 * Cost O(N²·d) for N embeddings in all (all pairs are compared).
 */
export function poseConsistency(embeddings: MatrixStackLike): PoseConsistency {
  const where = 'poseConsistency';
  const stack = readMatrixStack(where, 'embeddings', embeddings);
  if (stack.length < 2) throw new Error(`${where}: 'embeddings' needs at least 2 latent codes (groups); got ${stack.length}`);
  const d = stack[0].cols;
  stack.forEach((m, z) => {
    if (m.cols !== d) throw new Error(`${where}: every 'embeddings[z]' must have ${d} features like embeddings[0]; embeddings[${z}] is [${m.rows}, ${m.cols}]`);
  });
  if (!stack.some((m) => m.rows >= 2)) throw new Error(`${where}: at least one latent code needs ≥ 2 views; view counts are [${stack.map((m) => m.rows).join(', ')}]`);

  // Unit-normalised embeddings and their group labels.
  const total = stack.reduce((s, m) => s + m.rows, 0);
  const unit = new Float64Array(total * d);
  const group = new Int32Array(total);
  let r = 0;
  stack.forEach((m, z) => {
    for (let i = 0; i < m.rows; i++, r++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += m.data[i * d + t] ** 2;
      if (s === 0) throw new Error(`${where}: embedding of view ${i} of code ${z} is all zeros (cosine undefined)`);
      const inv = 1 / Math.sqrt(s);
      for (let t = 0; t < d; t++) unit[r * d + t] = m.data[i * d + t] * inv;
      group[r] = z;
    }
  });

  const nPairs = (total * (total - 1)) / 2;
  const scores = new Float64Array(nPairs);
  const genuine = new Uint8Array(nPairs);
  const best = new Float64Array(total).fill(-Infinity);
  const bestGroup = new Int32Array(total).fill(-1);
  let p = 0;
  let sumWithin = 0;
  let sumAcross = 0;
  let nWithin = 0;
  for (let i = 0; i < total; i++) {
    for (let j = i + 1; j < total; j++, p++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += unit[i * d + t] * unit[j * d + t];
      const c = Math.max(-1, Math.min(1, dot));
      scores[p] = c;
      const same = group[i] === group[j];
      genuine[p] = same ? 1 : 0;
      if (same) {
        sumWithin += c;
        nWithin++;
      } else sumAcross += c;
      if (c > best[i]) {
        best[i] = c;
        bestGroup[i] = group[j];
      }
      if (c > best[j]) {
        best[j] = c;
        bestGroup[j] = group[i];
      }
    }
  }
  const nAcross = nPairs - nWithin;
  const meanWithin = sumWithin / nWithin;
  const meanAcross = sumAcross / nAcross;

  // Mann–Whitney U of genuine vs impostor scores.
  const ranks = averageRanks(scores);
  let rankSum = 0;
  for (let k = 0; k < nPairs; k++) if (genuine[k]) rankSum += ranks[k];
  const verificationAuc = (rankSum - (nWithin * (nWithin + 1)) / 2) / (nWithin * nAcross);

  // Only embeddings whose code has another view can be identified.
  let correct = 0;
  let candidates = 0;
  for (let i = 0; i < total; i++) {
    if (stack[group[i]].rows < 2) continue;
    candidates++;
    if (bestGroup[i] === group[i]) correct++;
  }

  const withinDistance = 1 - meanWithin;
  return {
    meanWithin,
    meanAcross,
    gap: meanWithin - meanAcross,
    distanceRatio: withinDistance <= 0 ? Infinity : (1 - meanAcross) / withinDistance,
    verificationAuc,
    identificationAccuracy: correct / candidates,
    genuinePairs: nWithin,
    impostorPairs: nAcross,
  };
}
