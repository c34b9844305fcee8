/**
 * 002-cheermeup — document 002, "CheerMeUp – using Hidden treasures" (D. Mund et al.): TL-GAN on
 * emotions. The nine steps of the document, on embedded synthetic faces (FERG-DB with `--data`):
 *
 *  I    DCGAN with the least-squares loss (LSGAN, `leastSquares`), once on a single character
 *       (uni-modal, the document's "Jules") and once on six characters (multi-modal, FERG-DB);
 *  II   an emotion classifier (document 002's head: fc → ReLU → batchnorm → softmax on a small CNN
 *       trunk instead of fine-tuned AlexNet features) trained on the ground-truth emotions of
 *       all six characters;
 *  III  (z, y) samples: y = classifier probabilities of G(z);
 *  IV   `regressionAxes` (linear regression, TL-GAN `find_feature_axis`): one axis per emotion;
 *  V    Gram–Schmidt (`gramSchmidt`) and the axis-correlation heat-maps before/after (Fig. 5);
 *  VI–IX z → z + kF along each emotion's orthogonalised axis (`applyLinearWalk`), the probability
 *       of every emotion vs k (`attributeCurve`, Figs. 11, 12, 16) and image strips (Figs. 8–9, 13–15);
 *  and the uni-modal vs multi-modal comparison of §5.3–5.4: how often a walk changes the
 *  character (a character classifier trained on the renderer's identity ground truth) and how
 *  monotone the target probability is per sample.
 *
 * Quick mode (32×32, ngf/ndf 16, 300 LSGAN steps per GAN, lr 1e-3): ~35 s of CPU time (wasm, one
 * thread); 60–150 s wall-clock on 2 cores shared with other jobs.
 * Full mode (64×64, ngf/ndf 64, batch 16, 5,000 steps per GAN, lr 2e-4 as DCGAN, 20,000 (z, y)
 * samples): about 12 h on 2 cores with wasm — estimated from the ~4 s DCGAN-64 batch-16 training
 * step measured on wasm (docs/tfjs-facts.md), not run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as path from 'node:path';
import { mkdirSync } from 'node:fs';
import { buildDcganDiscriminator, buildDcganGenerator, buildEmotionClassifier } from '../src/models/index.js';
import { EMOTIONS, sampleIdentity, synthFaceDataset, type FaceIdentity } from '../src/data/index.js';
import { applyLinearWalk, axisSimilarity, gramSchmidt, regressionAxes, sampleLatents } from '../src/latent/index.js';
import { linspace } from '../src/latent/index.js';
import { attributeCurve, axisCorrelation, classificationAccuracy, classificationReport, summarize } from '../src/metrics/index.js';
import { saveAlphaStrip, saveHeatmap, saveImageGrid, saveLinePlot } from '../src/node/index.js';
import { Random } from '../src/index.js';
import { loadCheckpoint, saveCheckpoint } from './common/checkpoints.js';
import { describeQuality, headFeatures, sampleQuality, type SampleQuality } from './common/sample_quality.js';
import { runClock, runIfMain, type ExampleModule, type ExampleRunArgs as RunArgs } from './common/main.js';
import { pct, round, runFields, type Claim, type ExampleReport } from './common/report.js';
import { predictBatched, smooth, trainClassifier, trainGan } from './common/train_helpers.js';
import { loadFergSubset } from './002-cheermeup/ferg.js';

export { CONFIGS, FULL, QUICK, STANDARD, type CheerMeUpConfig } from './002-cheermeup/config.js';
import { CONFIGS, FULL, type CheerMeUpConfig } from './002-cheermeup/config.js';

/** Near-frontal poses: FERG-DB's characters face the camera. */
const POSE = { yaw: [-0.1, 0.1] as [number, number], pitch: [-0.05, 0.05] as [number, number], roll: [-0.05, 0.05] as [number, number] };
const CHARACTERS = 6;
/** Strong, cartoon-like expressions (FERG-DB's are exaggerated): prototype AU intensity range. */
const INTENSITY: [number, number] = [0.75, 1];

interface FaceSet {
  images: tf.Tensor4D;
  emotions: Int32Array;
  characters: Int32Array;
}

function disposeSet(s: FaceSet): void {
  s.images.dispose();
}

/** Synthetic FERG-like sets: six characters, seven emotions, near-frontal. */
function syntheticSets(cfg: CheerMeUpConfig, seed: number): { uni: FaceSet; multi: FaceSet; clf: FaceSet; test: FaceSet; names: string[]; heldOut: { uni: FaceSet; multi: FaceSet } } {
  const rng = new Random(seed);
  const pool: FaceIdentity[] = Array.from({ length: CHARACTERS }, () => sampleIdentity(rng));
  const make = (n: number, ids: FaceIdentity[], s: number): FaceSet => {
    const d = synthFaceDataset({ n, size: cfg.size, identities: ids, seed: s, poseRanges: POSE, intensity: INTENSITY });
    // with a one-person pool the identity index is 0 = pool[0]
    return { images: d.images, emotions: d.emotions, characters: d.identityIds };
  };
  return {
    uni: make(cfg.nGan, [pool[0]], seed + 11),
    multi: make(cfg.nGan, pool, seed + 12),
    clf: make(cfg.nClf, pool, seed + 13),
    test: make(cfg.nTest, pool, seed + 14),
    names: pool.map((_, i) => `char${i}`),
    // new renders of the same characters, never trained on: the sample-quality references
    heldOut: { uni: make(2 * qualitySamples(cfg), [pool[0]], seed + 15), multi: make(2 * qualitySamples(cfg), pool, seed + 16) },
  };
}

/** Samples per set for FID/KID. */
function qualitySamples(cfg: CheerMeUpConfig): number {
  return Math.min(500, cfg.nGan);
}

interface GanAnalysis {
  /** Mean classifier probability per emotion over G samples. */
  sampleEmotionMix: number[];
  rawAxes: number[][];
  orthoAxes: number[][];
  corrBefore: ReturnType<typeof axisCorrelation>;
  corrAfter: ReturnType<typeof axisCorrelation>;
  /** Per emotion e: attributeCurve of p_e along the orthogonalised axis e. */
  ownCurves: ReturnType<typeof attributeCurve>[];
  /** Per emotion e: the same along the raw (regression) axis e. */
  ownCurvesRaw: ReturnType<typeof attributeCurve>[];
  /** probs[e][k][i][c]: walk along axis e, step k, sample i, class c. */
  probs: Float32Array[][];
  /** Per emotion e: mean |slope| of the other six probabilities along axis e (orthogonalised; raw). */
  offTargetSlope: number[];
  offTargetSlopeRaw: number[];
  /** Fraction of walks whose end points (k = ±K) keep the character predicted at k = 0. */
  characterKept: number;
  characterKeptPerEmotion: number[];
}

function argmaxRows(p: Float32Array | number[], k: number): Int32Array {
  const n = p.length / k;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + b]) b = c;
    out[i] = b;
  }
  return out;
}

/** Steps III–IX for one generator. */
function analyseGan(G: tfl.LayersModel, C: tfl.LayersModel, charClf: tfl.LayersModel, cfg: CheerMeUpConfig, seed: number): GanAnalysis {
  const K = EMOTIONS.length;
  // III: (z, y) samples
  const z = sampleLatents(cfg.nZY, cfg.latentDim, { seed });
  const images = predictBatched(G, z);
  const yT = predictBatched(C, images);
  images.dispose();
  const y = yT.dataSync() as Float32Array;
  const mix = Array.from({ length: K }, (_, c) => {
    let s = 0;
    for (let i = 0; i < cfg.nZY; i++) s += y[i * K + c];
    return s / cfg.nZY;
  });
  // IV: regression axes [dim, 7]; V: Gram–Schmidt
  const raw = regressionAxes(z, yT, { method: 'linear' });
  const ortho = gramSchmidt(raw);
  yT.dispose();
  z.dispose();
  const rawArr = raw.arraySync() as number[][];
  const orthoArr = ortho.arraySync() as number[][];
  // axisCorrelation takes one direction per row
  const rawT = tf.transpose(raw);
  const orthoT = tf.transpose(ortho);
  const corrBefore = axisCorrelation(rawT);
  const corrAfter = axisCorrelation(orthoT);
  tf.dispose([rawT, orthoT]);

  // VI–IX: walks
  const ks = linspace(-cfg.walkRange, cfg.walkRange, cfg.walkSteps);
  const z0 = sampleLatents(cfg.nWalk, cfg.latentDim, { seed: seed + 1 });
  const walk = (axes: tf.Tensor2D, e: number): { probs: Float32Array[]; chars: Int32Array[] } => {
    const probs: Float32Array[] = [];
    const chars: Int32Array[] = [];
    for (const k of ks) {
      const alphas = Array.from({ length: K }, (_, c) => (c === e ? k : 0));
      const zk = applyLinearWalk(z0, axes, alphas);
      const x = predictBatched(G, zk);
      const p = predictBatched(C, x);
      const ch = predictBatched(charClf, x);
      probs.push(p.dataSync() as Float32Array);
      chars.push(argmaxRows(ch.dataSync() as Float32Array, ch.shape[1]!));
      tf.dispose([zk, x, p, ch]);
    }
    return { probs, chars };
  };
  const curve = (probs: Float32Array[], c: number) =>
    attributeCurve(
      probs.map((p) => Array.from({ length: cfg.nWalk }, (_, i) => p[i * K + c])),
      ks,
    );
  const ownCurves: GanAnalysis['ownCurves'] = [];
  const ownCurvesRaw: GanAnalysis['ownCurvesRaw'] = [];
  const allProbs: Float32Array[][] = [];
  const offTargetSlope: number[] = [];
  const offTargetSlopeRaw: number[] = [];
  const keptPerEmotion: number[] = [];
  const mid = ks.indexOf(0) >= 0 ? ks.indexOf(0) : Math.floor(ks.length / 2);
  for (let e = 0; e < K; e++) {
    const o = walk(ortho, e);
    const r = walk(raw, e);
    allProbs.push(o.probs);
    ownCurves.push(curve(o.probs, e));
    ownCurvesRaw.push(curve(r.probs, e));
    const others = Array.from({ length: K }, (_, c) => c).filter((c) => c !== e);
    offTargetSlope.push(others.reduce((s, c) => s + Math.abs(curve(o.probs, c).slope), 0) / others.length);
    offTargetSlopeRaw.push(others.reduce((s, c) => s + Math.abs(curve(r.probs, c).slope), 0) / others.length);
    // character kept at both ends of the walk (k = −K and +K) relative to k = 0
    const ref = o.chars[mid];
    const ends = [...o.chars[0], ...o.chars[o.chars.length - 1]];
    keptPerEmotion.push(classificationAccuracy([...ref, ...ref], ends));
  }
  z0.dispose();
  raw.dispose();
  ortho.dispose();
  return {
    sampleEmotionMix: mix,
    rawAxes: rawArr,
    orthoAxes: orthoArr,
    corrBefore,
    corrAfter,
    ownCurves,
    ownCurvesRaw,
    probs: allProbs,
    offTargetSlope,
    offTargetSlopeRaw,
    characterKept: keptPerEmotion.reduce((a, b) => a + b, 0) / K,
    characterKeptPerEmotion: keptPerEmotion,
  };
}

async function run(args: RunArgs): Promise<ExampleReport> {
  return runCheerMeUp(args, CONFIGS[args.mode]);
}

/** What a bundled LSGAN checkpoint is (compared when it is loaded). */
export function lsganArchitecture(cfg: CheerMeUpConfig): string {
  return `DCGAN generator ${cfg.size} px, ngf ${cfg.filters}, z ${cfg.latentDim}`;
}

/** FID/KID of G's samples against held-out renders of its characters, in the emotion classifier's features, with the floor and an untrained G. */
function lsganQuality(G: tfl.LayersModel, C: tfl.LayersModel, cfg: CheerMeUpConfig, heldOut: FaceSet, seed: number): SampleQuality {
  const n = Math.min(qualitySamples(cfg), Math.floor(heldOut.images.shape[0] / 2));
  const untrainedG = buildDcganGenerator({ latentDim: cfg.latentDim, imageSize: cfg.size, filters: cfg.filters, seed: seed + 1 });
  const z = sampleLatents(n, cfg.latentDim, { seed });
  const sets = {
    heldOut: tf.slice(heldOut.images, 0, n) as tf.Tensor4D,
    otherReal: tf.slice(heldOut.images, n, n) as tf.Tensor4D,
    generated: predictBatched(G, z) as tf.Tensor4D,
    untrained: predictBatched(untrainedG, z) as tf.Tensor4D,
  };
  try {
    return sampleQuality({
      features: headFeatures(C),
      featuresName: "the emotion classifier's pooled features (trained on the ground-truth emotions)",
      heldOut: sets.heldOut,
      otherReal: sets.otherReal,
      generated: { LSGAN: sets.generated },
      untrained: { LSGAN: sets.untrained },
      seed: seed + 2,
    });
  } finally {
    tf.dispose([z, ...Object.values(sets)]);
    untrainedG.dispose();
  }
}

/** The whole reproduction with an explicit configuration (the test runs it at toy size). */
export async function runCheerMeUp(args: RunArgs, cfg: CheerMeUpConfig): Promise<ExampleReport> {
  const out = args.out;
  mkdirSync(out, { recursive: true });
  const K = EMOTIONS.length;
  const { log, elapsed, cpuSeconds } = runClock('002-cheermeup');
  const startedAt = Date.now();

  // data
  let sets: { uni: FaceSet; multi: FaceSet; clf: FaceSet; test: FaceSet; names: string[]; heldOut?: { uni: FaceSet; multi: FaceSet } };
  let dataName: string;
  if (args.data) {
    const ferg = await loadFergSubset(args.data, cfg, args.seed);
    sets = ferg;
    dataName = `FERG-DB at ${args.data} (uni-modal: ${ferg.uniCharacter})`;
  } else {
    sets = syntheticSets(cfg, args.seed);
    dataName = `embedded synthetic faces, ${CHARACTERS} characters × 7 emotions, ${cfg.size}×${cfg.size} RGB`;
  }
  log(`data ready (${elapsed()})`);
  const figures: ExampleReport['figures'] = [];
  const nShow = Math.min(16, sets.uni.images.shape[0], sets.multi.images.shape[0]);
  const realGrid = tf.tidy(() => tf.concat([tf.slice(sets.uni.images, 0, nShow), tf.slice(sets.multi.images, 0, nShow)]));
  await saveImageGrid(realGrid, path.join(out, 'training_data.png'), {
    cols: nShow,
    title: 'top: single character; bottom: six characters',
    labels: [...sets.uni.emotions.slice(0, nShow), ...sets.multi.emotions.slice(0, nShow)].map((e) => EMOTIONS[e].slice(0, 5)),
  });
  realGrid.dispose();
  figures.push({ file: 'training_data.png', caption: 'Training faces with their ground-truth emotions: the uni-modal set (one character, top) and the multi-modal set (six characters, bottom).' });

  // II: emotion classifier on all characters; character classifier (for the uni/multi comparison)
  // --checkpoints (npm run demo): the standard run's trained models instead of training them
  const fromCheckpoints = args.checkpoints === true && !args.data;
  const load = async (name: string, architecture: string) => (await loadCheckpoint('002-cheermeup', name, architecture)).model;
  const emotionArchitecture = `emotion classifier ${cfg.size} px, filters ${cfg.clfFilters.join('/')}, head ${cfg.clfHead}, ${K} classes`;
  const characterArchitecture = `character classifier ${cfg.size} px, filters 8/16/32, ${sets.names.length} classes`;
  const C = fromCheckpoints
    ? await load('emotion-classifier', emotionArchitecture)
    : buildEmotionClassifier({ imageSize: cfg.size, channels: 3, filters: cfg.clfFilters, numClasses: K, head: cfg.clfHead, seed: args.seed + 1 });
  if (!fromCheckpoints) trainClassifier(C, sets.clf.images, sets.clf.emotions, K, { steps: cfg.clfSteps, batchSize: cfg.clfBatch, learningRate: 2e-3, seed: args.seed + 2 });
  const testProbs = predictBatched(C, sets.test.images);
  const clfReport = classificationReport(sets.test.emotions, testProbs, { numClasses: K });
  testProbs.dispose();
  log(`emotion classifier: test accuracy ${clfReport.accuracy.toFixed(3)} (${elapsed()})`);
  const charClf = fromCheckpoints
    ? await load('character-classifier', characterArchitecture)
    : buildEmotionClassifier({ imageSize: cfg.size, channels: 3, filters: [8, 16, 32], numClasses: sets.names.length, head: 'linear', seed: args.seed + 3 });
  if (!fromCheckpoints) trainClassifier(charClf, sets.clf.images, sets.clf.characters, sets.names.length, { steps: cfg.charSteps, batchSize: cfg.clfBatch, learningRate: 3e-3, seed: args.seed + 4 });
  const charProbs = predictBatched(charClf, sets.test.images);
  const charAcc = classificationAccuracy(sets.test.characters, charProbs);
  charProbs.dispose();
  log(`character classifier: test accuracy ${charAcc.toFixed(3)} (${elapsed()})`);

  // I: two LSGANs
  const gans: Record<'uni' | 'multi', { G: tfl.LayersModel; losses: { d: number[]; g: number[] } }> = {} as never;
  const quality = {} as Record<'uni' | 'multi', SampleQuality>;
  const saving = args.mode === 'standard' && !args.data && !fromCheckpoints;
  if (saving) {
    const common = { example: '002-cheermeup', seed: args.seed, seconds: round((Date.now() - startedAt) / 1000, 1), config: { ...cfg } };
    await saveCheckpoint(C, { ...common, name: 'emotion-classifier', architecture: emotionArchitecture });
    await saveCheckpoint(charClf, { ...common, name: 'character-classifier', architecture: characterArchitecture });
  }
  for (const [i, which] of (['uni', 'multi'] as const).entries()) {
    let G: tfl.LayersModel;
    let losses = { d: [] as number[], g: [] as number[] };
    if (fromCheckpoints) {
      G = await load(`${which}-modal-generator`, lsganArchitecture(cfg));
    } else {
      G = buildDcganGenerator({ latentDim: cfg.latentDim, imageSize: cfg.size, filters: cfg.filters, seed: args.seed + 10 + i });
      const D = buildDcganDiscriminator({ imageSize: cfg.size, filters: cfg.discriminatorFilters ?? cfg.filters, seed: args.seed + 20 + i });
      losses = trainGan(G, D, sets[which].images, {
        steps: cfg.ganSteps,
        batchSize: cfg.ganBatch,
        latentDim: cfg.latentDim,
        loss: 'leastSquares',
        learningRate: cfg.ganLr,
        emaHalfLife: cfg.emaHalfLife,
        gradientPenalty: cfg.r1Gamma > 0 ? { type: 'r1', weight: cfg.r1Gamma, separateStep: true, every: cfg.r1Every } : undefined,
        seed: args.seed + 30 + i,
      });
      D.dispose();
    }
    gans[which] = { G, losses };
    quality[which] = lsganQuality(G, C, cfg, sets.heldOut?.[which] ?? sets.test, args.seed + 50 + i);
    log(`${which}-modal sample quality: ${describeQuality(quality[which], 'LSGAN')}`);
    if (saving) {
      await saveCheckpoint(G, {
        example: '002-cheermeup',
        name: `${which}-modal-generator`,
        architecture: lsganArchitecture(cfg),
        seed: args.seed,
        seconds: round((Date.now() - startedAt) / 1000, 1),
        fid: quality[which].generators.LSGAN.fid,
        config: { ...cfg },
      });
    }
    const zs = sampleLatents(32, cfg.latentDim, { seed: args.seed + 40 });
    const xs = predictBatched(G, zs);
    const file = `${which}_samples.png`;
    await saveImageGrid(xs, path.join(out, file), { cols: 8, title: `${which}-modal LSGAN samples` });
    tf.dispose([zs, xs]);
    figures.push({ file, caption: `Samples of the ${which === 'uni' ? 'single-character (uni-modal, Fig. 10)' : 'six-character (multi-modal, Fig. 7)'} LSGAN after ${cfg.ganSteps} steps.` });
    log(`${which}-modal LSGAN ${fromCheckpoints ? 'loaded' : 'trained'} (${elapsed()})`);
  }
  if (!fromCheckpoints) {
    await saveLinePlot(
      [
        { name: 'D uni', y: smooth(gans.uni.losses.d) },
        { name: 'G uni', y: smooth(gans.uni.losses.g) },
        { name: 'D multi', y: smooth(gans.multi.losses.d) },
        { name: 'G multi', y: smooth(gans.multi.losses.g) },
      ],
      path.join(out, 'gan_losses.png'),
      { title: 'LSGAN losses (moving average 20)', xLabel: 'step', yLabel: 'loss' },
    );
    figures.push({ file: 'gan_losses.png', caption: 'Least-squares D and G losses during training (Fig. 4).' });
  }

  // III–IX for both GANs
  const analyses = {
    uni: analyseGan(gans.uni.G, C, charClf, cfg, args.seed + 100),
    multi: analyseGan(gans.multi.G, C, charClf, cfg, args.seed + 200),
  };
  log(`axes, walks and curves done (${elapsed()})`);
  const labels = EMOTIONS.map((e) => e.slice(0, 5));
  const ks = linspace(-cfg.walkRange, cfg.walkRange, cfg.walkSteps);
  for (const which of ['uni', 'multi'] as const) {
    const a = analyses[which];
    await saveHeatmap(axisSimilarity(a.rawAxes), path.join(out, `${which}_axes_before.png`), { rowLabels: labels, colLabels: labels, range: [-1, 1], title: `${which}: regression axes` });
    await saveHeatmap(axisSimilarity(a.orthoAxes), path.join(out, `${which}_axes_after.png`), { rowLabels: labels, colLabels: labels, range: [-1, 1], title: `${which}: after Gram-Schmidt` });
    figures.push({
      file: `${which}_axes_before.png`,
      caption: `${which}-modal: cosine similarity of the 7 regression axes before orthogonalisation (mean |off-diagonal| ${a.corrBefore.meanAbsOffDiagonal.toFixed(3)}).`,
    });
    figures.push({
      file: `${which}_axes_after.png`,
      caption: `${which}-modal: after Gram–Schmidt — the identity matrix (Fig. 5's sanity check; max |off-diagonal| ${a.corrAfter.maxAbsOffDiagonal.toExponential(1)}).`,
    });
    await saveLinePlot(
      EMOTIONS.map((e, i) => ({ name: e, x: ks, y: a.ownCurves[i].mean, markers: true })),
      path.join(out, `${which}_prob_vs_step.png`),
      { title: `${which}: P(emotion) along its own axis`, xLabel: 'k (z + kF)', yLabel: 'classifier probability', yRange: [0, 1] },
    );
    figures.push({
      file: `${which}_prob_vs_step.png`,
      caption: `${which}-modal: mean classifier probability of each emotion as z moves along that emotion's orthogonalised axis (Fig. 11), ${cfg.nWalk} latents per step.`,
    });
  }
  // Fig. 16: every emotion along the joy (happy) axis, uni-modal
  const happy = EMOTIONS.indexOf('happy');
  const joyProbs = analyses.uni.probs[happy];
  await saveLinePlot(
    EMOTIONS.map((e, c) => ({ name: e, x: ks, y: joyProbs.map((p) => Array.from({ length: cfg.nWalk }, (_, i) => p[i * K + c]).reduce((s, v) => s + v, 0) / cfg.nWalk), markers: true })),
    path.join(out, 'uni_joy_axis_all_emotions.png'),
    { title: 'uni: all emotions along the joy axis', xLabel: 'k', yLabel: 'classifier probability', yRange: [0, 1] },
  );
  figures.push({ file: 'uni_joy_axis_all_emotions.png', caption: 'Uni-modal: probability of every emotion while moving along the joy axis (Figs. 12 and 16).' });
  // image strips: joy (uni, Figs. 13–15) and surprise (multi, Figs. 8–9)
  const strip = async (which: 'uni' | 'multi', emotion: number, file: string, caption: string): Promise<void> => {
    const G = gans[which].G;
    const z0 = sampleLatents(6, cfg.latentDim, { seed: args.seed + 300 });
    const axes = tf.tensor2d(analyses[which].orthoAxes);
    const rows: tf.Tensor[] = [];
    for (const k of ks) {
      const zk = applyLinearWalk(
        z0,
        axes,
        EMOTIONS.map((_, c) => (c === emotion ? k : 0)),
      );
      rows.push(predictBatched(G, zk));
      zk.dispose();
    }
    // [A, R, ...] → [R, A, ...]
    const stacked = tf.stack(rows, 1);
    await saveAlphaStrip(stacked, ks, path.join(out, file), { title: `${which}: ${EMOTIONS[emotion]} axis`, formatAlpha: (v) => `k=${v}` });
    tf.dispose([z0, axes, stacked, ...rows]);
    figures.push({ file, caption });
  };
  await strip('uni', happy, 'uni_walk_joy.png', 'Uni-modal: six generated faces moved along the joy axis, k from −K to +K (Figs. 13–15).');
  await strip('multi', EMOTIONS.indexOf('surprise'), 'multi_walk_surprise.png', "Multi-modal: six generated faces moved along the 'surprise' axis (Figs. 8–9); the character may change.");
  log(`figures written (${elapsed()})`);

  // numbers
  const perEmotion = (a: GanAnalysis) =>
    Object.fromEntries(
      EMOTIONS.map((e, i) => [
        e,
        {
          slope: round(a.ownCurves[i].slope),
          pAtMinusK: round(a.ownCurves[i].mean[0]),
          pAt0: round(a.ownCurves[i].mean[Math.floor(ks.length / 2)]),
          pAtPlusK: round(a.ownCurves[i].mean[ks.length - 1]),
          perSampleMonotone: a.ownCurves[i].monotonicity.perSample === null ? null : round(a.ownCurves[i].monotonicity.perSample!),
          slopeRawAxis: round(a.ownCurvesRaw[i].slope),
          offTargetSlope: round(a.offTargetSlope[i]),
          offTargetSlopeRawAxis: round(a.offTargetSlopeRaw[i]),
          characterKept: round(a.characterKeptPerEmotion[i]),
        },
      ]),
    );
  const increasing = (a: GanAnalysis) => a.ownCurves.filter((c) => c.slope > 0 && c.mean[c.mean.length - 1] > c.mean[Math.floor(c.mean.length / 2)]).length;
  const reaches = (a: GanAnalysis, level: number) => a.ownCurves.filter((c) => c.mean[c.mean.length - 1] >= level).length;
  const monotone = (a: GanAnalysis) => summarize(a.ownCurves.map((c) => c.monotonicity.perSample ?? 0)).mean;
  const offRatio = (a: GanAnalysis) => summarize(a.offTargetSlope).mean / Math.max(1e-9, summarize(a.ownCurves.map((c) => Math.abs(c.slope))).mean);
  const offRatioRaw = (a: GanAnalysis) => summarize(a.offTargetSlopeRaw).mean / Math.max(1e-9, summarize(a.ownCurvesRaw.map((c) => Math.abs(c.slope))).mean);
  const u = analyses.uni;
  const m = analyses.multi;
  const metrics: Record<string, unknown> = {
    config: cfg,
    cpuSeconds: cpuSeconds(),
    sampleQuality: quality,
    emotionClassifierTestAccuracy: round(clfReport.accuracy),
    emotionClassifierBalancedAccuracy: round(clfReport.balancedAccuracy),
    characterClassifierTestAccuracy: round(charAcc),
    ...(fromCheckpoints
      ? {}
      : {
          finalLossesUni: { D: round(summarize(gans.uni.losses.d.slice(-50)).mean), G: round(summarize(gans.uni.losses.g.slice(-50)).mean) },
          finalLossesMulti: { D: round(summarize(gans.multi.losses.d.slice(-50)).mean), G: round(summarize(gans.multi.losses.g.slice(-50)).mean) },
        }),
    sampleEmotionMixUni: Object.fromEntries(EMOTIONS.map((e, i) => [e, round(u.sampleEmotionMix[i])])),
    sampleEmotionMixMulti: Object.fromEntries(EMOTIONS.map((e, i) => [e, round(m.sampleEmotionMix[i])])),
    axisCosineBeforeUni: { meanAbsOffDiagonal: round(u.corrBefore.meanAbsOffDiagonal), max: round(u.corrBefore.maxAbsOffDiagonal) },
    axisCosineAfterUni: { meanAbsOffDiagonal: u.corrAfter.meanAbsOffDiagonal, max: u.corrAfter.maxAbsOffDiagonal },
    axisCosineBeforeMulti: { meanAbsOffDiagonal: round(m.corrBefore.meanAbsOffDiagonal), max: round(m.corrBefore.maxAbsOffDiagonal) },
    axisCosineAfterMulti: { meanAbsOffDiagonal: m.corrAfter.meanAbsOffDiagonal, max: m.corrAfter.maxAbsOffDiagonal },
    walkUni: perEmotion(u),
    walkMulti: perEmotion(m),
    emotionsIncreasingAlongOwnAxis: { uni: increasing(u), multi: increasing(m) },
    emotionsReaching0_5: { uni: reaches(u, 0.5), multi: reaches(m, 0.5) },
    meanPerSampleMonotonicity: { uni: round(monotone(u)), multi: round(monotone(m)) },
    offTargetToTargetSlopeRatio: { uniOrthogonal: round(offRatio(u)), uniRaw: round(offRatioRaw(u)), multiOrthogonal: round(offRatio(m)), multiRaw: round(offRatioRaw(m)) },
    characterKeptAlongWalks: { uni: round(u.characterKept), multi: round(m.characterKept) },
  };

  const claims: Claim[] = [
    {
      claim: 'The emotion classifier reaches 100% test accuracy (FERG-DB is easy).',
      ours: `${pct(clfReport.accuracy)} on ${cfg.nTest} held-out synthetic faces (balanced ${pct(clfReport.balancedAccuracy)}).`,
      // the reproductions issue's rule: ≥ 90 % on held-out faces (our renders are harder than FERG-DB's cartoons: 7 emotions at random intensities)
      verdict: clfReport.accuracy >= 0.9 ? 'reproduced' : clfReport.accuracy >= 0.8 ? 'partly' : 'not reproduced',
    },
    {
      claim: 'After Gram–Schmidt the axis correlation heat-map is the identity (Fig. 5 sanity check).',
      ours: `max |off-diagonal cosine| ${u.corrAfter.maxAbsOffDiagonal.toExponential(1)} after (was ${u.corrBefore.maxAbsOffDiagonal.toFixed(2)} before, mean ${u.corrBefore.meanAbsOffDiagonal.toFixed(2)}).`,
      verdict: u.corrAfter.maxAbsOffDiagonal < 1e-6 ? 'reproduced' : 'not reproduced',
    },
    {
      claim: 'Uni-modal: moving z along an emotion axis raises that emotion’s probability, reaching ~1 (Figs. 11, 12, 16) — for all but anger and surprise (§6.1).',
      ours: `${increasing(u)}/7 emotions increase from k=0 to k=+${cfg.walkRange}; ${reaches(u, 0.5)}/7 reach p ≥ 0.5 and ${reaches(u, 0.9)}/7 reach 0.9 at k=+${cfg.walkRange}. Happy: ${u.ownCurves[happy].mean[Math.floor(ks.length / 2)].toFixed(2)} → ${u.ownCurves[happy].mean[ks.length - 1].toFixed(2)}.`,
      verdict: increasing(u) === K && reaches(u, 0.9) >= 5 ? 'reproduced' : increasing(u) >= 4 ? 'partly' : 'not reproduced',
    },
    {
      claim: 'Orthogonalised axes change only the chosen emotion.',
      ours: `mean |slope| of the other six probabilities / |slope| of the target: ${offRatio(u).toFixed(2)} along orthogonalised axes vs ${offRatioRaw(u).toFixed(2)} along the raw regression axes (uni-modal).`,
      verdict: offRatio(u) < 0.25 ? 'reproduced' : offRatio(u) < offRatioRaw(u) ? 'partly' : 'not reproduced',
    },
    {
      claim: 'Multi-modal (six characters): walks are not smooth and sometimes change the character; uni-modal walks keep the character and change the emotion smoothly (§5.3–5.4, §6).',
      ours: `character kept at both walk ends: ${pct(u.characterKept)} uni vs ${pct(m.characterKept)} multi; per-sample monotone target probability: ${pct(monotone(u))} uni vs ${pct(monotone(m))} multi.`,
      verdict: m.characterKept < u.characterKept && monotone(u) >= monotone(m) ? 'reproduced' : m.characterKept < u.characterKept || monotone(u) > monotone(m) ? 'partly' : 'not reproduced',
    },
  ];
  const notes = [
    `GAN: DCGAN (pytorch/examples layout) ${cfg.size}×${cfg.size}, ngf = ndf = ${cfg.filters}, z ∈ R^${cfg.latentDim}, least-squares loss (document 002's MSELoss, factor 1)${cfg.r1Gamma > 0 ? `, plus an R1 penalty γ ${cfg.r1Gamma} on D's real faces as a lazy step every ${cfg.r1Every} steps (not in the document: without it D won within 50 steps on the six-character set and G drew noise, KID 4.8)` : ''}, Adam lr ${cfg.ganLr} β1 0.5, batch ${cfg.ganBatch}, ${cfg.ganSteps} steps per GAN. The document trained ~250 epochs at 64×64${args.mode === 'quick' ? '; quick mode is far shorter, so samples are blurry and the emotion detail G learns is limited — the numbers above measure that G' : ''}.`,
    `Classifier: a 3-stage CNN trained from scratch on the synthetic ground truth (no pretrained AlexNet offline) with the ${cfg.clfHead === 'seed002' ? "seed's head (fc → ReLU → batchnorm → softmax)" : "plain fc → softmax head: the seed's fc → ReLU → batchnorm → softmax head gave flat probabilities (47% test accuracy) in the short quick-mode training"}.`,
    'Axes: linear regression of the 7 softmax probabilities on z (TL-GAN find_feature_axis "linear"), columns normalised; Gram–Schmidt in FER2013 label order (angry, disgust, fear, happy, sad, surprise, neutral), so the angry axis is unchanged and neutral is the most modified.',
    "Character kept = the character classifier's prediction at k = ±K equals its prediction at k = 0 (classificationAccuracy); the uni-modal GAN has one character by construction, so its value checks that walks stay on the data manifold.",
    `Full mode: ${FULL.ganSteps} steps per GAN at 64×64 / batch ${FULL.ganBatch}, expected ≈ 12 h on 2 cores with wasm (≈ 4 s per DCGAN-64 step at batch 16); not run for this report.`,
  ];
  for (const s of [sets.uni, sets.multi, sets.clf, sets.test, ...(sets.heldOut ? [sets.heldOut.uni, sets.heldOut.multi] : [])]) disposeSet(s);
  for (const mdl of [C, charClf, gans.uni.G, gans.multi.G]) mdl.dispose();
  return {
    example: '002-cheermeup',
    title: 'CheerMeUp: TL-GAN emotion axes on uni- and multi-modal faces',
    document: 'document 002 — D. Mund et al., "CheerMeUp – using Hidden treasures" (TL-GAN on FERG-DB)',
    ...runFields(args, dataName),
    metrics,
    figures,
    claims,
    notes,
  };
}

const example: ExampleModule = { name: '002-cheermeup', run };
export default example;
runIfMain(import.meta.url, example);
