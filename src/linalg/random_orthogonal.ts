import { Random } from '../util/random.js';
import type { Mat } from './lu.js';

/** Used by Glow's invertible 1×1 convolution init (openai/glow model.py draws `np.linalg.qr(np.random.randn(C, C))[0]`). */
/** A seeded random orthogonal n×n matrix (Gram–Schmidt QR of a Gaussian matrix, signs fixed by R's diagonal). */
export function randomOrthogonal(n: number, seed: number): Mat {
  const rng = new Random(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = rng.normal();
  // Columns of Q by modified Gram–Schmidt on the columns of a (repeated once for stability).
  const q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = a[i * n + j];
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * n + k] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * q[i * n + k];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * n + j] = v[i] / norm;
  }
  return q;
}
