/**
 * `npm run studio:directions`: compute the learned directions that gankit studio's sliders move
 * along, from the bundled checkpoints, with the same library functions the reproductions use, and
 * cache them as `checkpoints/<example>/<model>/directions.json` (committed, so that the studio
 * builds from a clean clone without rerunning anything).
 *
 *  - 001 DCGAN + attribute regressor: TL-GAN axes (`regressionAxes`; the page locks them live with
 *    `disentangleAxes`), InterFaceGAN boundaries for smile and blond (`trainBoundary`; the page
 *    projects one off the other live with `projectBoundary`), GANSpace top components
 *    (`pca` of the first ReLU's activations → `latentDirectionsFromActivations`).
 *  - 001 DFC-VAE: the latent-arithmetic attribute vectors of smile and blond (`attributeVector`:
 *    mean μ(with) − mean μ(without) over encoded synthetic faces, as 001), decoded live.
 *  - 002 uni-modal DCGAN + emotion classifier: TL-GAN emotion axes (`regressionAxes`), as 002.
 *  - 003 conditional DCGAN: GANSpace top components at the neutral label.
 *  - 000 DCGAN: document 000's learned smile walk (`trainLinearWalk` with `steeringObjective`:
 *    identity embedding + AU regressor on AU6/AU12), shortened to fit the time budget.
 *  - 000 HoloGAN (yaw/elevation) and 004 GANimation (AU intensities) need no learned direction: the
 *    page moves their explicit inputs.
 *
 * Every random step takes a seed (recorded in the JSON with the sample count and, for classifier-derived
 * axes, a held-out validation figure). Takes 75–100 s on 2 busy cores (wasm); the output is the same on every run (only `seconds` differs).
 *
 *   npx tsx scripts/studio/directions.ts [--only 001-expression-synthesis/dcgan-generator]
 */
import * as path from 'node:path';
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { setupBackend } from '../../src/backend/index.js';
import { attributeVector, latentDirectionsFromActivations, pca, regressionAxes, sampleLatents, trainBoundary, trainLinearWalk } from '../../src/latent/index.js';
import { steeringObjective } from '../../src/losses/index.js';
import { pearsonCorrelation } from '../../src/metrics/index.js';
import { EMOTIONS, auIndex } from '../../src/data/index.js';
import { CHECKPOINTS_DIR, loadCheckpoint } from '../../examples/common/checkpoints.js';
import { predictBatched } from '../../examples/common/train_helpers.js';
import { ATTRIBUTES, attributeFaces } from '../../examples/001-expression-synthesis/data.js';
import { DIRECTIONS_FILE, DIRECTIONS_VERSION, type DirectionsFile, type LearnedDirection } from '../../studio/src/directions_format.js';

const SEED = 1600;

const round = (v: number, d = 4): number => Math.round(v * 10 ** d) / 10 ** d;
const roundRow = (row: number[]): number[] => row.map((v) => round(v, 6));

/** Columns of a [dim, k] matrix as rows. */
function columns(m: number[][]): number[][] {
  return m[0].map((_, j) => m.map((r) => r[j]));
}

/** Held-out Pearson r between z·axis and the score: how well the linear axis predicts the classifier. */
function heldOutCorrelation(z: number[][], y: number[], axis: number[]): number {
  const proj = z.map((row) => row.reduce((s, v, i) => s + v * axis[i], 0));
  return round(pearsonCorrelation(proj, y), 3);
}

async function load(example: string, name: string): Promise<tfl.LayersModel> {
  const card = (await import(path.join(CHECKPOINTS_DIR, example, name, 'card.json'), { with: { type: 'json' } })).default as { architecture: string };
  return (await loadCheckpoint(example, name, card.architecture)).model;
}

/**
 * TL-GAN axes: fit `regressionAxes` on the first 80 % of (z, score) pairs, report the held-out
 * Pearson r on the rest, and return the axes of the fit on all pairs.
 */
function tlganAxes(z: number[][], scores: number[][], names: readonly string[], seed: number, what: string): LearnedDirection[] {
  const nFit = Math.floor(z.length * 0.8);
  const fit = columns(regressionAxes(z.slice(0, nFit), scores.slice(0, nFit), { method: 'linear' }));
  const all = columns(regressionAxes(z, scores, { method: 'linear' }));
  return names.map((name, j) => ({
    id: `tlgan-${name}`,
    label: name,
    method: 'TL-GAN axis',
    source: 'regressionAxes (src/latent/regression_axes.ts); locks: disentangleAxes (gram_schmidt.ts), applied live',
    group: 'tlgan',
    vector: roundRow(all[j]),
    seed,
    samples: z.length,
    validation: {
      metric: `held-out Pearson r of z·axis with the ${what} (fit on ${nFit}, tested on ${z.length - nFit})`,
      value: heldOutCorrelation(
        z.slice(nFit),
        scores.slice(nFit).map((r) => r[j]),
        fit[j],
      ),
    },
    range: [-3, 3],
  }));
}

/** GANSpace: PCA of the first ReLU's activations, regressed back to z (as 001). */
function ganspace(G: tfl.LayersModel, inputs: tf.Tensor[], z: tf.Tensor2D, k: number, seed: number, note: string): LearnedDirection[] {
  const firstRelu = G.layers.find((l) => l.getClassName() === 'ReLU')!;
  const trunk = tfl.model({ inputs: G.inputs, outputs: firstRelu.output as tfl.SymbolicTensor });
  const n = z.shape[0];
  const acts = tf.tidy(() => tf.reshape(predictBatched(trunk, inputs), [n, -1]) as tf.Tensor2D);
  const p = pca(acts, k, acts.shape[1] > 2048 ? { method: 'randomized', seed } : {});
  const lat = latentDirectionsFromActivations(z, acts, p);
  const rows = lat.arraySync() as number[][];
  const ratios = p.varianceRatio;
  tf.dispose([acts, lat, p.components]);
  return rows.map((row, c) => ({
    id: `pca-${c}`,
    label: `PC${c}${ratios[c] != null ? ` (${(ratios[c] * 100).toFixed(1)} %)` : ''}`,
    method: 'GANSpace PCA',
    source: `pca + latentDirectionsFromActivations (src/latent/ganspace_edits.ts) on '${firstRelu.name}'${note}`,
    group: 'pca',
    vector: roundRow(row),
    seed,
    samples: n,
    range: [-3, 3],
  }));
}

function write(example: string, model: string, directions: LearnedDirection[], latentDim: number, started: number, notes: string[] = []): void {
  const file: DirectionsFile = {
    version: DIRECTIONS_VERSION,
    model: `${example}/${model}`,
    latentDim,
    computedBy: 'npm run studio:directions (scripts/studio/directions.ts)',
    backend: tf.getBackend(),
    seconds: round((Date.now() - started) / 1000, 1),
    notes,
    directions,
  };
  const out = path.join(CHECKPOINTS_DIR, example, model, DIRECTIONS_FILE);
  writeFileSync(out, `${JSON.stringify(file)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}: ${directions.length} directions (${file.seconds} s)`);
}

/** 001: TL-GAN axes of the 7 attributes, InterFaceGAN smile/blond boundaries, GANSpace PCs. */
async function expression001(): Promise<void> {
  const started = Date.now();
  const example = '001-expression-synthesis';
  const G = await load(example, 'dcgan-generator');
  const reg = await load(example, 'attribute-regressor');
  const n = 3000;
  const z = sampleLatents(n, 64, { seed: SEED });
  const imgs = predictBatched(G, z);
  const scoresT = predictBatched(reg, imgs);
  const scores = scoresT.arraySync() as number[][];
  const zRows = z.arraySync() as number[][];
  tf.dispose([imgs, scoresT]);
  const dirs = tlganAxes(zRows, scores, ATTRIBUTES, SEED, 'attribute regressor score');
  for (const [k, name] of [
    [ATTRIBUTES.indexOf('smile'), 'smile'],
    [ATTRIBUTES.indexOf('blond'), 'blond'],
  ] as const) {
    const b = trainBoundary(
      zRows,
      scores.map((r) => [r[k]]),
      { chosenNumOrRatio: 0.05, seed: SEED + 1 + k },
    );
    dirs.push({
      id: `interfacegan-${name}`,
      label: name,
      method: 'InterFaceGAN boundary',
      source: 'trainBoundary (src/latent/svm_boundary.ts); condition on: projectBoundary (project_boundary.ts), applied live',
      group: 'interfacegan',
      vector: roundRow(b.boundary[0]),
      seed: SEED + 1 + k,
      samples: n,
      validation: { metric: `SVM validation accuracy (top/bottom 5 %: ${b.trainCount} train, ${b.validationCount} validation)`, value: round(b.validationAccuracy, 3) },
      range: [-3, 3],
    });
  }
  dirs.push(...ganspace(G, [z], z, 5, SEED + 10, ''));
  z.dispose();
  write(example, 'dcgan-generator', dirs, 64, started, ['TL-GAN and InterFaceGAN directions are read by the attribute regressor (7 sigmoid outputs).']);
}

/**
 * 001 DFC-VAE: the attribute vectors of 001's latent arithmetic (`attributeVector` of the encoder's
 * μ over fresh synthetic faces with their ground-truth labels). Validation: the attribute
 * regressor's mean score rise over 64 faces without the attribute, decoded at f = 0 and f = 1.
 */
async function vae001(): Promise<void> {
  const started = Date.now();
  const example = '001-expression-synthesis';
  const encoder = await load(example, 'dfc-vae-encoder');
  const decoder = await load(example, 'dfc-vae-decoder');
  const reg = await load(example, 'attribute-regressor');
  const size = encoder.inputs[0].shape[1] as number;
  const latentDim = decoder.inputs[0].shape[1] as number;
  const n = 2000;
  const data = attributeFaces({ n, size, seed: SEED + 50 });
  const mu = predictBatched((x) => (encoder.apply(x, { training: false }) as tf.Tensor[])[0], data.images) as tf.Tensor2D;
  const dirs: LearnedDirection[] = [];
  for (const [name, labels] of [
    ['smile', data.smiling],
    ['blond', data.blond],
  ] as const) {
    const v = attributeVector(mu, labels);
    const without = Array.from(labels.entries())
      .filter(([, l]) => l === 0)
      .map(([i]) => i)
      .slice(0, 64);
    const k = ATTRIBUTES.indexOf(name);
    const scoreAt = (f: number): number =>
      tf.tidy(() => {
        const z = tf.add(tf.gather(mu, without), tf.mul(f, v));
        return tf.mean(tf.gather(reg.apply(decoder.apply(z, { training: false }) as tf.Tensor, { training: false }) as tf.Tensor, [k], 1)).dataSync()[0];
      });
    const rise = scoreAt(1) - scoreAt(0);
    dirs.push({
      id: `arithmetic-${name}`,
      label: name,
      method: 'VAE latent arithmetic',
      source: 'attributeVector (src/latent/arithmetic.ts): mean μ(with) − mean μ(without), as 001',
      group: 'arithmetic',
      // z + f·v at the vector's own length: f = 1 adds the mean difference once (001 sweeps f ∈ [0, 2])
      vector: roundRow(Array.from(v.dataSync())),
      seed: SEED + 50,
      samples: n,
      validation: { metric: `attribute regressor's mean ${name} score over 64 faces without it, decoded at f = 1 minus f = 0 (rise)`, value: round(rise, 3) },
      range: [-2, 2],
    });
    v.dispose();
  }
  tf.dispose([mu, data.images]);
  write(example, 'dfc-vae-decoder', dirs, latentDim, started, [
    'The decoder is the generator: the page samples z from the VAE prior N(0, I) and adds f·v.',
    'Vectors keep their length: f = 1 adds the mean μ difference between faces with and without the attribute once.',
  ]);
}

/** 002: TL-GAN emotion axes of the uni-modal generator (the 002 analysis). */
async function cheermeup002(): Promise<void> {
  const started = Date.now();
  const example = '002-cheermeup';
  const G = await load(example, 'uni-modal-generator');
  const C = await load(example, 'emotion-classifier');
  const n = 3000;
  const z = sampleLatents(n, 100, { seed: SEED + 20 });
  const imgs = predictBatched(G, z);
  const probsT = predictBatched(C, imgs);
  const probs = probsT.arraySync() as number[][];
  const zRows = z.arraySync() as number[][];
  tf.dispose([z, imgs, probsT]);
  write(example, 'uni-modal-generator', tlganAxes(zRows, probs, EMOTIONS, SEED + 20, 'emotion probability'), 100, started);
}

/** 003: GANSpace components of the conditional generator at the neutral label. */
async function conditional003(): Promise<void> {
  const started = Date.now();
  const example = '003-emotion-generation';
  const G = await load(example, 'conditional-generator');
  const n = 2000;
  const z = sampleLatents(n, 100, { seed: SEED + 30 });
  const neutral = EMOTIONS.indexOf('neutral');
  const label = tf.tidy(() => tf.cast(tf.oneHot(tf.fill([n], neutral, 'int32') as tf.Tensor1D, EMOTIONS.length), 'float32'));
  const dirs = ganspace(G, [z, label], z, 5, SEED + 31, ', label fixed to neutral');
  tf.dispose([z, label]);
  write(example, 'conditional-generator', dirs, 100, started, ['The label input is a one-hot emotion; the page offers it as the "condition" choice.']);
}

/** 000: document 000's smile walk on the DCGAN (identity embedding + AU regressor loss), shortened. */
async function steering000(): Promise<void> {
  const started = Date.now();
  const example = '000-steering-hologan';
  const G = await load(example, 'dcgan-generator');
  const aur = await load(example, 'au-regressor');
  const judge = await load(example, 'judge-au-regressor');
  const emb = await load(example, 'identity-embedding');
  const aus = ['AU6', 'AU12'];
  const idx = tf.tensor1d(
    aus.map((a) => auIndex(a)),
    'int32',
  );
  const steps = 300;
  const { w } = trainLinearWalk({
    generator: (z) => G.apply(z, { training: false }) as tf.Tensor4D,
    latentDim: 64,
    distribution: 'normal',
    objective: steeringObjective({
      embedding: (img) => emb.apply(img, { training: false }) as tf.Tensor,
      auRegressor: (img) => tf.gather(aur.apply(img, { training: false }) as tf.Tensor, idx, 1),
      target: (alpha) => tf.tile(alpha, [1, aus.length]),
    }),
    sampleAlpha: (b, rng) => Array.from({ length: b }, () => [rng.uniform(0, 1)]),
    steps,
    batchSize: 8,
    lr: 0.01,
    seed: SEED + 40,
  });
  const walk = (w.arraySync() as number[][]).map((r) => r[0]);
  // Validation by the independent judge: mean AU6/AU12 at α = 0 and α = 1 over 64 fresh codes.
  const z = sampleLatents(64, 64, { seed: SEED + 41 });
  const judgeAt = (alpha: number): number =>
    tf.tidy(() => {
      const zz = tf.add(z, tf.mul(alpha, tf.transpose(w)));
      return tf.mean(tf.gather(judge.apply(G.apply(zz, { training: false }) as tf.Tensor, { training: false }) as tf.Tensor, idx, 1)).dataSync()[0];
    });
  const at0 = judgeAt(0);
  const at1 = judgeAt(1);
  tf.dispose([z, w, idx]);
  const norm = Math.hypot(...walk);
  write(
    example,
    'dcgan-generator',
    [
      {
        id: 'walk-smile',
        label: 'smile (AU6+AU12)',
        method: 'steerability walk',
        source: `trainLinearWalk (src/latent/linear_walk.ts) with steeringObjective (src/losses/steering.ts), ${steps} steps, batch 8`,
        group: 'walk',
        // the walk is learned for α ∈ [0, 1] at its own length: keep it, so that α = 1 is the trained target
        vector: roundRow(walk),
        seed: SEED + 40,
        samples: steps * 8,
        validation: { metric: `independent judge AU regressor, mean AU6/AU12 over 64 codes at α = 0 → 1 (rise)`, value: round(at1 - at0, 3) },
        range: [-1, 2],
      },
    ],
    64,
    started,
    [`The walk keeps its learned length (‖w‖ = ${round(norm, 3)}): α = 1 is the trained full expression.`, `judge AU6/AU12 at α = 0: ${round(at0, 3)}, at α = 1: ${round(at1, 3)}.`],
  );
}

const JOBS: Record<string, () => Promise<void>> = {
  '001-expression-synthesis/dcgan-generator': expression001,
  '001-expression-synthesis/dfc-vae-decoder': vae001,
  '002-cheermeup/uni-modal-generator': cheermeup002,
  '003-emotion-generation/conditional-generator': conditional003,
  '000-steering-hologan/dcgan-generator': steering000,
};

async function main(): Promise<void> {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  if (only && !JOBS[only]) throw new Error(`studio:directions: --only must be one of ${Object.keys(JOBS).join(', ')}; got '${only}'`);
  await setupBackend('wasm');
  for (const [name, job] of Object.entries(JOBS)) {
    if (only && name !== only) continue;
    await job();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
