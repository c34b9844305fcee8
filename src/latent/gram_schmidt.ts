/**
 * Orthogonalisation of feature axes: Gram–Schmidt, TL-GAN's axis locking, and axis similarity.
 *
 * Axes are the COLUMNS of a [dim, n] matrix, as TL-GAN's `feature_axis` [dim_z, n_features] and
 * {@link regressionAxes}' output. Reference: SummitKwan/transparent_latent_gan
 * `src/tl_gan/feature_axis.py` (`orthogonalize_one_vector`, `orthogonalize_vectors`,
 * `disentangle_feature_axis`, `disentangle_feature_axis_by_idx`, `plot_feature_cos_sim`).
 */
import { kindOf, type Mat, type MatrixLike, readMatrix, type SameKind, writeMatrix } from '../linalg/index.js';

/** Column j of a row-major [dim, n] matrix as a new Float64Array. */
function column(m: Mat, j: number): Float64Array {
  const v = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) v[i] = m.data[i * m.cols + j];
  return v;
}

function toColumnsMatrix(cols: Float64Array[], dim: number): Mat {
  const n = cols.length;
  const data = new Float64Array(dim * n);
  cols.forEach((c, j) => {
    for (let i = 0; i < dim; i++) data[i * n + j] = c[i];
  });
  return { data, rows: dim, cols: n };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** v −= (v·u / u·u) u (TL-GAN `orthogonalize_one_vector`). */
function removeComponent(v: Float64Array, u: Float64Array): void {
  const uu = dot(u, u);
  if (uu === 0) return;
  const p = dot(v, u) / uu;
  for (let i = 0; i < v.length; i++) v[i] -= p * u[i];
}

export interface GramSchmidtOptions {
  /** Scale each output column to unit norm (default true; TL-GAN's `orthogonalize_vectors` does not). */
  normalize?: boolean;
  /** A column whose remaining norm falls below `tol · (its original norm)` is linearly dependent → error. Default 1e-7. */
  tol?: number;
}

/**
 * Gram–Schmidt on the columns of `vectors` [dim, n], in index order: column i loses its
 * components along the already-orthogonalised columns 0..i−1 (modified Gram–Schmidt, applied
 * twice for float64 orthogonality ~1e-15). With `normalize`, this is the Q of a QR decomposition
 * with a positive diagonal R. Same kind as the input.
 */
export function gramSchmidt<T extends MatrixLike>(vectors: T, options: GramSchmidtOptions = {}): SameKind<T> {
  const where = 'gramSchmidt';
  const m = readMatrix(where, 'vectors', vectors);
  if (m.cols > m.rows) throw new Error(`${where}: at most dim = ${m.rows} columns can be orthogonal; got ${m.cols} columns (vectors are the columns of [dim, n])`);
  const cols = orthogonalize(where, m, options.tol ?? 1e-7);
  if (options.normalize ?? true) for (const c of cols) scaleToUnit(c);
  return writeMatrix(toColumnsMatrix(cols, m.rows), kindOf(vectors)) as never;
}

function orthogonalize(where: string, m: Mat, tol: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < m.cols; j++) {
    const v = column(m, j);
    const n0 = Math.sqrt(dot(v, v));
    if (n0 === 0) throw new Error(`${where}: column ${j} is zero`);
    for (let pass = 0; pass < 2; pass++) for (const u of out) removeComponent(v, u);
    if (Math.sqrt(dot(v, v)) < tol * n0) throw new Error(`${where}: column ${j} is linearly dependent on columns 0..${j - 1}`);
    out.push(v);
  }
  return out;
}

function scaleToUnit(v: Float64Array): void {
  const s = Math.sqrt(dot(v, v));
  if (s > 0) for (let i = 0; i < v.length; i++) v[i] /= s;
}

export interface DisentangleOptions {
  /** Columns to make orthogonal to the locked ones; default every unlocked column. */
  targetIndices?: number[];
  /** Normalise every column at the end (TL-GAN `yn_normalize`, default true). */
  normalize?: boolean;
  /**
   * Gram–Schmidt the locked columns before removing them from the targets (default true), as
   * TL-GAN's `disentangle_feature_axis_by_idx` does — that wrapper orthogonalises the base itself,
   * so the inverted flag inside `disentangle_feature_axis` (`if yn_base_orthogonalized:`
   * orthogonalises only a base declared orthogonal already) cannot affect it, and the default here
   * equals the reference. `false` reproduces the lower-level
   * `disentangle_feature_axis(target, base, yn_base_orthogonalized=False)`: the locked columns are
   * used as given and left unchanged, and each target loses its projection on each of them in turn,
   * so targets are orthogonal to the locked span only when the locked axes are orthogonal.
   */
  orthogonalizeLocked?: boolean;
  /** @deprecated Since 0.1.1: `referenceFlagQuirk: true` is `orthogonalizeLocked: false` (the name said it reproduced the reference default; it does not). */
  referenceFlagQuirk?: boolean;
}

/**
 * TL-GAN "locking": make target axes orthogonal to the locked (base) axes.
 * `disentangle_feature_axis_by_idx(feature_axis, idx_base, idx_target, yn_normalize)`:
 * 1. the locked columns, in the order given, are Gram–Schmidt-orthogonalised;
 * 2. each target column has its projection on each orthogonalised locked column removed in turn;
 * 3. locked columns are replaced by their orthogonalised versions; all columns renormalised.
 * Columns that are neither locked nor targets are returned unchanged (renormalised).
 */
export function disentangleAxes<T extends MatrixLike>(axes: T, lockedIndices: number[], options: DisentangleOptions = {}): SameKind<T> {
  const where = 'disentangleAxes';
  const m = readMatrix(where, 'axes', axes);
  const n = m.cols;
  const checkIdx = (name: string, idx: number[]) => {
    if (!Array.isArray(idx)) throw new Error(`${where}: '${name}' must be an array of column indices`);
    const seen = new Set<number>();
    for (const i of idx) {
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`${where}: '${name}' entries must be integers in [0, ${n}); got ${i}`);
      if (seen.has(i)) throw new Error(`${where}: '${name}' has duplicate index ${i}`);
      seen.add(i);
    }
  };
  checkIdx('lockedIndices', lockedIndices);
  const locked = new Set(lockedIndices);
  const targets = options.targetIndices ?? Array.from({ length: n }, (_, i) => i).filter((i) => !locked.has(i));
  checkIdx('targetIndices', targets);
  for (const t of targets) if (locked.has(t)) throw new Error(`${where}: column ${t} cannot be both locked and a target`);
  const cols = Array.from({ length: n }, (_, j) => column(m, j));
  if (options.orthogonalizeLocked !== undefined && options.referenceFlagQuirk !== undefined && options.orthogonalizeLocked === options.referenceFlagQuirk) {
    throw new Error(`${where}: 'orthogonalizeLocked: ${options.orthogonalizeLocked}' contradicts the deprecated 'referenceFlagQuirk: ${options.referenceFlagQuirk}'`);
  }
  const orthogonalizeLocked = options.orthogonalizeLocked ?? !options.referenceFlagQuirk;
  let base: Float64Array[];
  if (!orthogonalizeLocked) {
    base = lockedIndices.map((i) => cols[i].slice());
  } else {
    base =
      lockedIndices.length === 0
        ? []
        : orthogonalize(
            where,
            toColumnsMatrix(
              lockedIndices.map((i) => cols[i]),
              m.rows,
            ),
            1e-7,
          );
    lockedIndices.forEach((i, k) => {
      cols[i] = base[k].slice();
    });
  }
  for (const t of targets) {
    const v = cols[t];
    for (const u of base) removeComponent(v, u);
  }
  if (options.normalize ?? true) {
    for (let j = 0; j < n; j++) {
      const s = Math.sqrt(dot(cols[j], cols[j]));
      if (!(s > 1e-12)) throw new Error(`${where}: column ${j} vanishes after removing the locked directions (it lies in their span)`);
      for (let i = 0; i < cols[j].length; i++) cols[j][i] /= s;
    }
  }
  return writeMatrix(toColumnsMatrix(cols, m.rows), kindOf(axes)) as never;
}

/**
 * Pairwise similarity of the axes (COLUMNS of [dim, n], as {@link regressionAxes} returns) → [n, n]: cosine similarity (TL-GAN
 * `plot_feature_cos_sim`), or Pearson correlation with `centered: true` (`np.corrcoef(axes.T)`).
 * Same kind as the input.
 * (`gankit/metrics`' `axisCorrelation` takes directions as rows and adds off-diagonal statistics.)
 */
export function axisSimilarity<T extends MatrixLike>(axes: T, options: { centered?: boolean } = {}): SameKind<T> {
  const where = 'axisSimilarity';
  const m = readMatrix(where, 'axes', axes);
  const cols = Array.from({ length: m.cols }, (_, j) => column(m, j));
  if (options.centered) {
    for (const c of cols) {
      const mu = c.reduce((a, b) => a + b, 0) / c.length;
      for (let i = 0; i < c.length; i++) c[i] -= mu;
    }
  }
  const n = cols.length;
  const norms = cols.map((c) => Math.sqrt(dot(c, c)));
  norms.forEach((s, j) => {
    if (!(s > 0)) throw new Error(`${where}: column ${j} has zero norm${options.centered ? ' after centring' : ''}`);
  });
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = i === j ? 1 : dot(cols[i], cols[j]) / (norms[i] * norms[j]);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return writeMatrix({ data: out, rows: n, cols: n }, kindOf(axes)) as never;
}
