import { readRows, readArrayVector as readVector, type ArrayMatrixLike as MatrixLike, type VectorLike } from '../linalg/index.js';
import { spearman64 } from './correlation.js';
import { mean64, std64 } from './summary.js';

/** An attribute score as a function of the walk step α, with its trend. */
export interface AttributeCurve {
  /** The α values, in the order given. */
  alphas: number[];
  /** Mean score per α. */
  mean: number[];
  /** Std of the scores per α (ddof as requested, default 0). */
  std: number[];
  /** Number of scores per α. */
  count: number[];
  /** Least-squares slope of score on α over all (α, score) pairs. */
  slope: number;
  intercept: number;
  /** Coefficient of determination of that fit (NaN when all scores are equal). */
  r2: number;
  monotonicity: {
    /** Spearman rank correlation between α and the mean score (NaN when all means are equal). */
    spearman: number;
    /** Strict trend of the means in increasing α: 'increasing', 'decreasing' or 'none'. */
    direction: 'increasing' | 'decreasing' | 'none';
    /** Fraction of consecutive α steps whose mean changes with the sign of the slope. */
    stepAgreement: number;
    /**
     * When every α has the same number of scores and score i belongs to the same sample at every
     * α (a walk of one latent per column): the fraction of samples whose scores are monotone
     * (non-strict) in the direction of the slope. `null` when counts differ or the slope is 0.
     */
    perSample: number | null;
    /**
     * Under the same condition: the mean over samples of the Spearman correlation between α and that
     * sample's scores (a sample whose scores are all equal counts as 0: it does not follow α).
     * `null` when counts differ.
     */
    perSampleSpearman: number | null;
  };
}

export interface AttributeCurveOptions {
  /** Delta degrees of freedom of the per-α std; default 0 (numpy's default). */
  ddof?: number;
}

/**
 * Attribute score vs walk step α — the "attribute distribution vs α" evaluation of GAN
 * steerability (ali-design/gan_steerability, per-α detector/pixel-statistic distributions) and the
 * AU-intensity-vs-α curves of Steering HoloGAN. `scoresPerAlpha[k]` are the scores (e.g. an
 * attribute classifier's output for each edited sample) at `alphas[k]`; a 2-D tensor/array
 * `[nAlpha, n]` or a list of 1-D lists of possibly different lengths.
 *
 * Returns mean/std per α, the least-squares line score ≈ slope·α + intercept over all pairs
 * (with equal counts this is also the line through the per-α means), and monotonicity measures.
 */
export function attributeCurve(scoresPerAlpha: MatrixLike | ReadonlyArray<VectorLike>, alphas: VectorLike, options: AttributeCurveOptions = {}): AttributeCurve {
  const where = 'attributeCurve';
  const { ddof = 0 } = options;
  if (!(Number.isInteger(ddof) && ddof >= 0)) throw new Error(`${where}: 'ddof' must be a non-negative integer; got ${ddof}`);
  const a = readVector(where, 'alphas', alphas, 2);
  const rows = readRows(where, 'scoresPerAlpha', scoresPerAlpha);
  if (rows.length !== a.length) {
    throw new Error(`${where}: 'scoresPerAlpha' must have one row per α (${a.length}); got ${rows.length} rows`);
  }
  rows.forEach((r, k) => {
    if (r.length < ddof + 1) throw new Error(`${where}: 'scoresPerAlpha[${k}]' needs at least ${ddof + 1} score(s) for ddof ${ddof}; got ${r.length}`);
  });
  if (new Set(a).size !== a.length) throw new Error(`${where}: 'alphas' must be distinct; got [${Array.from(a).join(', ')}]`);

  const mean = rows.map((r) => mean64(r));
  const std = rows.map((r) => std64(r, ddof));
  const count = rows.map((r) => r.length);

  // Pooled least squares over all (α, score) pairs.
  let n = 0;
  let sa = 0;
  let ss = 0;
  rows.forEach((r, k) => {
    n += r.length;
    sa += a[k] * r.length;
    for (let i = 0; i < r.length; i++) ss += r[i];
  });
  const ma = sa / n;
  const ms = ss / n;
  let saa = 0;
  let sas = 0;
  let sss = 0;
  rows.forEach((r, k) => {
    const da = a[k] - ma;
    for (let i = 0; i < r.length; i++) {
      saa += da * da;
      sas += da * (r[i] - ms);
      sss += (r[i] - ms) ** 2;
    }
  });
  const slope = sas / saa;
  const intercept = ms - slope * ma;
  const r2 = sss === 0 ? NaN : (sas * sas) / (saa * sss);

  const order = Array.from({ length: a.length }, (_, k) => k).sort((i, j) => a[i] - a[j]);
  const sortedMeans = order.map((k) => mean[k]);
  let up = 0;
  let down = 0;
  for (let i = 1; i < sortedMeans.length; i++) {
    if (sortedMeans[i] > sortedMeans[i - 1]) up++;
    else if (sortedMeans[i] < sortedMeans[i - 1]) down++;
  }
  const steps = sortedMeans.length - 1;
  const direction = up === steps ? 'increasing' : down === steps ? 'decreasing' : 'none';
  const sign = Math.sign(slope);
  const stepAgreement = sign > 0 ? up / steps : sign < 0 ? down / steps : 0;

  let perSample: number | null = null;
  const width = rows[0].length;
  if (sign !== 0 && rows.every((r) => r.length === width)) {
    let monotone = 0;
    for (let i = 0; i < width; i++) {
      let ok = true;
      for (let s = 1; s < order.length && ok; s++) {
        const diff = rows[order[s]][i] - rows[order[s - 1]][i];
        if (diff * sign < 0) ok = false;
      }
      if (ok) monotone++;
    }
    perSample = monotone / width;
  }
  let perSampleSpearman: number | null = null;
  if (rows.every((r) => r.length === width)) {
    let total = 0;
    for (let i = 0; i < width; i++) {
      const rho = spearman64(
        a,
        rows.map((r) => r[i]),
      );
      total += Number.isNaN(rho) ? 0 : rho;
    }
    perSampleSpearman = total / width;
  }

  return {
    alphas: Array.from(a),
    mean,
    std,
    count,
    slope,
    intercept,
    r2,
    monotonicity: { spearman: spearman64(a, mean), direction, stepAgreement, perSample, perSampleSpearman },
  };
}
