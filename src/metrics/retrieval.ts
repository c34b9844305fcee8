import { readArrayMatrix as readMatrix, readTensorLike, type ArrayMatrixLike as MatrixLike, type TensorLike } from '../linalg/index.js';

/** Nearest-neighbour retrieval of query vectors in a labelled gallery. */
export interface RetrievalResult {
  /** Fraction of queries whose nearest gallery item has the query's label (top-1 identification rate). */
  top1Accuracy: number;
  /** Fraction of queries with the query's label among the k nearest gallery items (k = `topK`). */
  topKAccuracy: number;
  topK: number;
  /** Label of the nearest gallery item, per query. */
  nearestLabel: number[];
  /** Distance to the nearest gallery item with the query's label, per query (Infinity when the gallery has none). */
  distanceToOwn: number[];
  /** Distance to the nearest gallery item with another label, per query (Infinity when there is none). */
  distanceToOther: number[];
  /** Mean over queries of distanceToOwn / distanceToOther (< 1: closer to its own label than to any other). */
  meanDistanceRatio: number;
  metric: 'euclidean' | 'cosine';
}

export interface RetrievalOptions {
  /** 'euclidean' (default) or 'cosine' (1 − cosine similarity). */
  metric?: 'euclidean' | 'cosine';
  /** k of the top-k accuracy (default 5, capped at the gallery size). */
  topK?: number;
}

function readIntLabels(where: string, name: string, x: TensorLike, n: number): Int32Array {
  const { shape, data } = readTensorLike(where, name, x);
  if (shape.length !== 1 || data.length !== n) throw new Error(`${where}: '${name}' must be 1-D with ${n} labels (one per row); got shape [${shape.join(', ')}]`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(data[i])) throw new Error(`${where}: '${name}' must hold integer labels; element ${i} is ${data[i]}`);
    out[i] = data[i];
  }
  return out;
}

/**
 * Identification by nearest neighbour (the closed-set face identification protocol, e.g. the
 * rank-1 / rank-k identification rate of face recognition benchmarks): each query row is
 * compared with every gallery row; top-1 accuracy is the fraction whose nearest gallery row
 * carries the query's label. Ties go to the earlier gallery row. Also returns, per query, the
 * distance to the nearest same-label and nearest other-label gallery rows. Computation in float64.
 *
 * Used to check that an edit (emotion transfer, latent walk) keeps a face's identity: the
 * queries are edited faces (or their embeddings), the gallery holds ground-truth renders of every
 * candidate identity, labelled by identity.
 */
export function retrievalAccuracy(queries: MatrixLike, queryLabels: TensorLike, gallery: MatrixLike, galleryLabels: TensorLike, options: RetrievalOptions = {}): RetrievalResult {
  const where = 'retrievalAccuracy';
  const metric = options.metric ?? 'euclidean';
  if (metric !== 'euclidean' && metric !== 'cosine') throw new Error(`${where}: 'metric' must be 'euclidean' or 'cosine'; got ${String(metric)}`);
  const q = readMatrix(where, 'queries', queries);
  const g = readMatrix(where, 'gallery', gallery);
  if (q.cols !== g.cols) throw new Error(`${where}: 'queries' and 'gallery' must have the same width; got [${q.rows}, ${q.cols}] and [${g.rows}, ${g.cols}]`);
  const ql = readIntLabels(where, 'queryLabels', queryLabels, q.rows);
  const gl = readIntLabels(where, 'galleryLabels', galleryLabels, g.rows);
  const topK = Math.min(options.topK ?? 5, g.rows);
  if (!(Number.isInteger(topK) && topK >= 1)) throw new Error(`${where}: 'topK' must be a positive integer; got ${options.topK}`);
  const d = q.cols;
  const norm = (m: { data: Float64Array }, r: number): number => {
    let s = 0;
    for (let c = 0; c < d; c++) s += m.data[r * d + c] ** 2;
    return Math.sqrt(s);
  };
  const gNorm = metric === 'cosine' ? Float64Array.from({ length: g.rows }, (_, r) => norm(g, r)) : null;
  if (gNorm)
    gNorm.forEach((v, r) => {
      if (v === 0) throw new Error(`${where}: gallery row ${r} is all zeros (cosine distance undefined)`);
    });
  let top1 = 0;
  let topk = 0;
  let ratioSum = 0;
  const nearestLabel: number[] = [];
  const distanceToOwn: number[] = [];
  const distanceToOther: number[] = [];
  const dist = new Float64Array(g.rows);
  for (let i = 0; i < q.rows; i++) {
    const qn = metric === 'cosine' ? norm(q, i) : 0;
    if (metric === 'cosine' && qn === 0) throw new Error(`${where}: query row ${i} is all zeros (cosine distance undefined)`);
    for (let j = 0; j < g.rows; j++) {
      let s = 0;
      if (metric === 'euclidean') {
        for (let c = 0; c < d; c++) s += (q.data[i * d + c] - g.data[j * d + c]) ** 2;
        dist[j] = Math.sqrt(s);
      } else {
        for (let c = 0; c < d; c++) s += q.data[i * d + c] * g.data[j * d + c];
        dist[j] = 1 - s / (qn * gNorm![j]);
      }
    }
    const order = Array.from({ length: g.rows }, (_, j) => j).sort((a, b) => dist[a] - dist[b] || a - b);
    nearestLabel.push(gl[order[0]]);
    if (gl[order[0]] === ql[i]) top1++;
    if (order.slice(0, topK).some((j) => gl[j] === ql[i])) topk++;
    let own = Infinity;
    let other = Infinity;
    for (let j = 0; j < g.rows; j++) {
      if (gl[j] === ql[i]) own = Math.min(own, dist[j]);
      else other = Math.min(other, dist[j]);
    }
    distanceToOwn.push(own);
    distanceToOther.push(other);
    ratioSum += own / other;
  }
  return {
    top1Accuracy: top1 / q.rows,
    topKAccuracy: topk / q.rows,
    topK,
    nearestLabel,
    distanceToOwn,
    distanceToOther,
    meanDistanceRatio: ratioSum / q.rows,
    metric,
  };
}
