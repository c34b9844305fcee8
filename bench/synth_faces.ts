/**
 * Synthetic-face renderer throughput on one core: images per second for each size/mode, median of
 * 5 timed runs after a warm-up, by wall clock and by this process's CPU time (the honest number on
 * a shared machine). Prints one JSON line per case. There is no Python peer for this
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
  // wall time and this process's CPU time (the renderer is single-threaded, so CPU time is the
  // time on one core even when other jobs share the machine)
  const run = (): [number, number] => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < c.n; i++) renderFace(samples[i], { size: c.size, mode: c.mode, out, offset: i * h * w * ch });
    const cu = process.cpuUsage(c0);
    return [performance.now() - t0, (cu.user + cu.system) / 1000];
  };
  run();
  const runs = Array.from({ length: 5 }, run);
  const median = runs.map((r) => r[0]).sort((a, b) => a - b)[2];
  const cpu = runs.map((r) => r[1]).sort((a, b) => a - b)[2];
  console.log(
    JSON.stringify({
      bench: 'synth_faces.render',
      size: c.size,
      mode: c.mode,
      images: c.n,
      median_ms: +median.toFixed(2),
      ms_per_image: +(median / c.n).toFixed(4),
      images_per_s: Math.round((c.n / median) * 1000),
      cpu_ms_per_image: +(cpu / c.n).toFixed(4),
      images_per_cpu_s: Math.round((c.n / cpu) * 1000),
      ratio_to_peer: null,
    }),
  );
}
