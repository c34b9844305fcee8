/**
 * Synthetic-face renderer throughput on one core: images per second for each size/mode, median of
 * 5 timed runs after a warm-up. Prints one JSON line per case. There is no Python peer for this
 * renderer (it is gankit's own), so `ratio_to_peer` is null; the target is ≥ 2,000 images/s at 64×64.
 *
 *   npx tsx bench/synth_faces.ts
 */
import { renderFace, faceImageShape, type FaceMode } from '../src/data/synth_faces/render.js';
import { sampleFaceParams } from '../src/data/synth_faces/params.js';

const cases: { size: number; mode: FaceMode; n: number }[] = [
  { size: 32, mode: 'rgb', n: 2000 },
  { size: 64, mode: 'rgb', n: 1000 },
  { size: 128, mode: 'rgb', n: 300 },
  { size: 48, mode: 'fer', n: 1500 },
];

for (const c of cases) {
  const samples = sampleFaceParams(c.n, { seed: 1 });
  const [h, w, ch] = faceImageShape({ size: c.size, mode: c.mode });
  const out = new Float32Array(c.n * h * w * ch);
  const run = (): number => {
    const t0 = performance.now();
    for (let i = 0; i < c.n; i++) renderFace(samples[i], { size: c.size, mode: c.mode, out, offset: i * h * w * ch });
    return performance.now() - t0;
  };
  run();
  const times = Array.from({ length: 5 }, run).sort((a, b) => a - b);
  const median = times[2];
  console.log(JSON.stringify({
    bench: 'synth_faces.render',
    size: c.size,
    mode: c.mode,
    images: c.n,
    median_ms: +median.toFixed(2),
    ms_per_image: +(median / c.n).toFixed(4),
    images_per_s: Math.round((c.n / median) * 1000),
    ratio_to_peer: null,
  }));
}
