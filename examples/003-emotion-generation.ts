/**
 * 003-emotion-generation — document 003, Fan, Liu & Wang, "Human Emotion Generation with Generative
 * Adversarial Networks" (KTH): a conditional DCGAN G(z|y) on FER2013-like 48×48 grey faces, an
 * encoder E trained afterwards to invert G (eq. 14, L(E) = Σ (x − G(E(x)))², plus the latent
 * cycle ‖z − E(G(z))‖²), and emotion transfer x → G(E(x) | y_target) to each of the seven emotions.
 *
 * The document judges the transfers by eye; here they are measured:
 *  - emotion: a classifier trained on the renderer's ground-truth emotions scores every transfer
 *    (`classificationReport`: accuracy and per-emotion recall; the document found happy and
 *    surprise the most convincing);
 *  - identity: the renderer can draw the *ground-truth* transfer (same person and pose, target
 *    emotion's prototype action units), so `identityDrift` gives the pixel distance of each
 *    transfer to its ground truth next to the distance between two different people, and
 *    `retrievalAccuracy` asks whether a transfer is nearer to its own person than to any other
 *    (gallery of ground-truth renders) and to its own source than to the other sources.
 *
 * Data: embedded synthetic faces in 'fer' mode (grey, tight crop). The DCGAN builders need sides
 * 4·2^k, so faces are rendered at 32×32 (quick) or 64×64 (full) instead of 48×48; FER2013's csv
 * (`--data path/to/fer2013.csv`) is resized likewise, and its identity checks use the sources as
 * the gallery (no ground truth of other emotions exists for real photos).
 *
 * Quick mode (32×32, ngf/ndf 16, 450 GAN steps, lr 1e-3, 200 encoder steps): ~40 s of CPU time
 * (wasm, one thread); 60–120 s wall-clock on 2 cores shared with other jobs.
 * Full mode (64×64, ngf/ndf 64, batch 32, lr 2e-4 / β1 0.5 as the document, 6,000 GAN steps ≈ 6
 * epochs of 30k images, 2,000 encoder steps): about 13 h on 2 cores with wasm — estimated from the
 * ~4 s DCGAN-64 batch-16 step on wasm, not run.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import * as path from 'node:path';
import { mkdirSync } from 'node:fs';
import { buildConditionalDcganDiscriminator, buildConditionalDcganGenerator, buildEmotionClassifier, buildEncoder, encoderTrainStep } from '../src/models/index.js';
import { EMOTIONS, emotionPrototype, renderFace, sampleIdentity, synthFaceDataset, type FaceIdentity, type FaceSample } from '../src/data/index.js';
import { sampleLatents } from '../src/latent/index.js';
import { classificationAccuracy, classificationReport, identityDrift, retrievalAccuracy, summarize } from '../src/metrics/index.js';
import { loadFer2013, saveAlphaStrip, saveLinePlot } from '../src/node/index.js';
import { adam } from '../src/train/index.js';
import { Random } from '../src/index.js';
import { runClock, runIfMain, type ExampleModule, type ExampleRunArgs as RunArgs } from './common/main.js';
import { loadCheckpoint, saveCheckpoint } from './common/checkpoints.js';
import { describeQuality, headFeatures, sampleQuality, type SampleQuality } from './common/sample_quality.js';
import { pct, round, runFields, type Claim, type ExampleReport } from './common/report.js';
import { oneHot, predictBatched, smooth, takeRows, trainClassifier, trainGan } from './common/train_helpers.js';

export { CONFIGS, FULL, QUICK, STANDARD, type EmotionGenConfig } from './003-emotion-generation/config.js';
import { CONFIGS, FULL, type EmotionGenConfig } from './003-emotion-generation/config.js';

/** FER2013 is mostly frontal: small pose ranges. */
const POSE = { yaw: [-0.15, 0.15] as [number, number], pitch: [-0.08, 0.08] as [number, number], roll: [-0.08, 0.08] as [number, number] };
/** Posed, clearly readable expressions: prototype AU intensity range of the training and test faces. */
const INTENSITY: [number, number] = [0.7, 1];
/** Intensity at which the ground-truth transfers are rendered (the middle of INTENSITY). */
const GT_INTENSITY = 0.85;
const K = EMOTIONS.length;

interface Faces {
  images: tf.Tensor4D;
  emotions: Int32Array;
  /** Identity (pool index) per face; −1 for real photos. */
  identities: Int32Array;
  samples?: FaceSample[];
}

function synthetic(cfg: EmotionGenConfig, seed: number): { train: Faces; test: Faces; pool: FaceIdentity[] } {
  const rng = new Random(seed);
  const pool = Array.from({ length: cfg.identities }, () => sampleIdentity(rng));
  const make = (n: number, s: number): Faces => {
    const d = synthFaceDataset({ n, size: cfg.size, mode: 'fer', identities: pool, seed: s, poseRanges: POSE, intensity: INTENSITY });
    return { images: d.images, emotions: d.emotions, identities: d.identityIds, samples: d.samples };
  };
  return { train: make(cfg.nTrain, seed + 1), test: make(cfg.nTest, seed + 2), pool };
}

async function fer2013(file: string, cfg: EmotionGenConfig, seed: number): Promise<{ train: Faces; test: Faces }> {
  const data = await loadFer2013(file);
  const labelled = Array.from({ length: data.n }, (_, i) => i).filter((i) => data.emotions[i] >= 0);
  const perm = new Random(seed).permutation(labelled.length);
  const need = cfg.nTrain + cfg.nTest;
  if (labelled.length < need) throw new Error(`003-emotion-generation: '${file}' has ${labelled.length} labelled faces; this mode needs ${need}`);
  const pick = (from: number, n: number): Faces => {
    const idx = Array.from(perm.subarray(from, from + n), (p) => labelled[p]);
    const px = new Float32Array(n * 48 * 48);
    idx.forEach((r, k) => {
      for (let j = 0; j < 48 * 48; j++) px[k * 48 * 48 + j] = data.pixels[r * 48 * 48 + j] / 127.5 - 1;
    });
    const images = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(px, [n, 48, 48, 1]), [cfg.size, cfg.size]) as tf.Tensor4D);
    return { images, emotions: Int32Array.from(idx, (r) => data.emotions[r]), identities: new Int32Array(n).fill(-1) };
  };
  return { train: pick(0, cfg.nTrain), test: pick(cfg.nTrain, cfg.nTest) };
}

/** Ground-truth transfer: the same person and pose rendered with `emotion`'s prototype AUs. */
function renderTransfer(sample: { identity: FaceIdentity; pose: FaceSample['pose'] }, emotion: number, size: number): Float32Array {
  const aus = Array.from(emotionPrototype(EMOTIONS[emotion]), (v) => v * GT_INTENSITY);
  return renderFace({ identity: sample.identity, aus, pose: sample.pose }, { size, mode: 'fer' });
}

/** What the bundled emotion classifier is (compared when it is loaded). */
export function classifierArchitecture(cfg: EmotionGenConfig): string {
  return `emotion classifier ${cfg.size} px grey, filters 16/32/64, ${K} classes`;
}

/** What the bundled encoder is (compared when it is loaded). */
export function encoderArchitecture(cfg: EmotionGenConfig): string {
  return `encoder ${cfg.size} px grey → z ${cfg.latentDim}, filters ${cfg.filters}, ${cfg.encSteps} steps against the bundled generator`;
}

/** How the label enters G and D, for the report's notes. */
function labelNote(cfg: EmotionGenConfig): string {
  const gEvery = cfg.labelInjection === 'every-layer';
  const dEvery = (cfg.discriminatorLabelInjection ?? cfg.labelInjection) === 'every-layer';
  const parts: string[] = [];
  if (gEvery || dEvery) parts.push(`, and tiled onto every hidden feature map of ${gEvery && dEvery ? 'both' : gEvery ? 'G' : 'D'} (as DCGAN-tensorflow's y_dim path concatenates y after its layers)`);
  if (cfg.labelInjection === 'conditional-bn') parts.push(`; every BatchNorm of G has a class-dependent γ, β (conditional BatchNorm, de Vries et al. 2017, as the generator of Miyato & Koyama 2018)`);
  if (cfg.projectionDiscriminator) parts.push(`; D adds the projection term ⟨V·y, φ(x)⟩ to its logit (Miyato & Koyama 2018)`);
  if (cfg.mismatchedLabelWeight > 0)
    parts.push(
      `; D also scores real faces under a wrong emotion as fake, weight ${cfg.mismatchedLabelWeight} (GAN-CLS, Reed et al. 2016: without it D can judge realism alone and G learns to ignore y)`,
    );
  return parts.join('');
}

/** What the bundled conditional generator is (compared when it is loaded). */
export function conditionalArchitecture(cfg: EmotionGenConfig): string {
  return `conditional DCGAN generator ${cfg.size} px grey, ngf ${cfg.filters}, z ${cfg.latentDim}, ${K} classes${cfg.labelInjection === 'every-layer' ? ', label at every layer' : cfg.labelInjection === 'conditional-bn' ? ', conditional BatchNorm' : ''}`;
}

/**
 * FID/KID of the conditional samples (every label, the same latents) against held-out test faces, in
 * the emotion classifier's features, with the data-vs-data floor and an untrained generator.
 */
function conditionalQuality(C: tfl.LayersModel, cfg: EmotionGenConfig, condImages: tf.Tensor, zEval: tf.Tensor2D, real: tf.Tensor4D, seed: number): SampleQuality {
  const n = Math.min(condImages.shape[0], Math.floor(real.shape[0] / 2));
  const untrainedG = buildConditionalDcganGenerator({
    latentDim: cfg.latentDim,
    imageSize: cfg.size,
    channels: 1,
    filters: cfg.filters,
    numClasses: K,
    labelInjection: cfg.labelInjection,
    seed: seed + 1,
  });
  const perLabel = zEval.shape[0];
  const zAll = tf.tidy(() => tf.tile(zEval, [K, 1]));
  const yAll = oneHot(
    Int32Array.from({ length: perLabel * K }, (_, i) => Math.floor(i / perLabel)),
    K,
  );
  // every n-th row would bias the label mix; condImages is label-major, so take a strided subset of all labels
  const pick = tf.tensor1d(
    Array.from({ length: n }, (_, i) => Math.floor((i * condImages.shape[0]) / n)),
    'int32',
  );
  const untrainedAll = predictBatched(untrainedG, [zAll, yAll]);
  const sets = {
    heldOut: tf.slice(real, 0, n) as tf.Tensor4D,
    otherReal: tf.slice(real, n, n) as tf.Tensor4D,
    generated: tf.gather(condImages, pick) as tf.Tensor4D,
    untrained: tf.gather(untrainedAll, pick) as tf.Tensor4D,
  };
  try {
    return sampleQuality({
      features: headFeatures(C),
      featuresName: "the emotion classifier's pooled features (trained on the ground-truth emotions)",
      heldOut: sets.heldOut,
      otherReal: sets.otherReal,
      generated: { cDCGAN: sets.generated },
      untrained: { cDCGAN: sets.untrained },
      seed,
    });
  } finally {
    tf.dispose([zAll, yAll, pick, untrainedAll, ...Object.values(sets)]);
    untrainedG.dispose();
  }
}

async function run(args: RunArgs): Promise<ExampleReport> {
  return runEmotionGeneration(args, CONFIGS[args.mode]);
}

/** The whole reproduction with an explicit configuration (the test runs it at toy size). */
export async function runEmotionGeneration(args: RunArgs, cfg: EmotionGenConfig): Promise<ExampleReport> {
  const out = args.out;
  mkdirSync(out, { recursive: true });
  const { log, elapsed, cpuSeconds } = runClock('003-emotion-generation');
  const startedAt = Date.now();
  const synth = !args.data;
  const { train, test, pool } = synth ? synthetic(cfg, args.seed) : { ...(await fer2013(args.data!, cfg, args.seed)), pool: undefined };
  const dataName = synth
    ? `embedded synthetic faces, FER-like grey crops, ${cfg.identities} people × 7 emotions, ${cfg.size}×${cfg.size} (48×48 in the document)`
    : `FER2013 csv at ${args.data}, resized 48→${cfg.size}`;
  log(`data ready (${elapsed()})`);
  const figures: ExampleReport['figures'] = [];

  // emotion classifier (the judge), trained on ground-truth labels
  // --checkpoints (npm run demo): the standard run's classifier and generator instead of training them
  const fromCheckpoints = args.checkpoints === true && synth;
  const C = fromCheckpoints
    ? (await loadCheckpoint('003-emotion-generation', 'emotion-classifier', classifierArchitecture(cfg))).model
    : buildEmotionClassifier({ imageSize: cfg.size, channels: 1, filters: [16, 32, 64], numClasses: K, head: 'linear', seed: args.seed + 1 });
  if (!fromCheckpoints) trainClassifier(C, train.images, train.emotions, K, { steps: cfg.clfSteps, batchSize: cfg.clfBatch, learningRate: 2e-3, seed: args.seed + 2 });
  const testProbs = predictBatched(C, test.images);
  const realReport = classificationReport(test.emotions, testProbs, { numClasses: K });
  testProbs.dispose();
  log(`emotion classifier: real test accuracy ${realReport.accuracy.toFixed(3)} (${elapsed()})`);

  // conditional DCGAN (sigmoid cross-entropy = the document's tf.sigmoid_cross_entropy_with_logits losses)
  const trainLabels = oneHot(train.emotions, K);
  let G: tfl.LayersModel;
  let gan = { d: [] as number[], g: [] as number[] };
  if (fromCheckpoints) {
    G = (await loadCheckpoint('003-emotion-generation', 'conditional-generator', conditionalArchitecture(cfg))).model;
  } else {
    G = buildConditionalDcganGenerator({ latentDim: cfg.latentDim, imageSize: cfg.size, channels: 1, filters: cfg.filters, numClasses: K, labelInjection: cfg.labelInjection, seed: args.seed + 3 });
    const D = buildConditionalDcganDiscriminator({
      imageSize: cfg.size,
      channels: 1,
      filters: cfg.discriminatorFilters ?? cfg.filters,
      numClasses: K,
      labelInjection: cfg.discriminatorLabelInjection ?? cfg.labelInjection,
      projection: cfg.projectionDiscriminator,
      seed: args.seed + 4,
    });
    gan = trainGan(G, D, train.images, {
      steps: cfg.ganSteps,
      batchSize: cfg.ganBatch,
      latentDim: cfg.latentDim,
      loss: 'nonSaturating',
      learningRate: cfg.ganLr,
      generatorRepeats: cfg.ganGRepeats,
      mismatchedLabelWeight: cfg.mismatchedLabelWeight,
      emaHalfLife: cfg.emaHalfLife,
      gradientPenalty: cfg.r1Gamma > 0 ? { type: 'r1', weight: cfg.r1Gamma, separateStep: true, every: cfg.r1Every } : undefined,
      labels: trainLabels,
      seed: args.seed + 5,
    });
    D.dispose();
  }
  log(`conditional DCGAN ${fromCheckpoints ? 'loaded from checkpoints/' : 'trained'} (${elapsed()})`);

  // conditional samples: the same nPer latents under each of the 7 labels; classifier accuracy,
  // and how much the label changes the picture compared with the latent (pixel distances)
  const nPer = 64;
  const zEval = sampleLatents(nPer, cfg.latentDim, { seed: args.seed + 6 });
  const zOther = sampleLatents(nPer, cfg.latentDim, { seed: args.seed + 9 });
  const perLabel: tf.Tensor[] = [];
  for (let t = 0; t < K; t++) {
    const yT = oneHot(new Int32Array(nPer).fill(t), K);
    perLabel.push(predictBatched(G, [zEval, yT]));
    yT.dispose();
  }
  const yNeutral = oneHot(new Int32Array(nPer).fill(EMOTIONS.indexOf('neutral')), K);
  const otherZ = predictBatched(G, [zOther, yNeutral]);
  yNeutral.dispose();
  const yEval = Int32Array.from({ length: nPer * K }, (_, i) => Math.floor(i / nPer));
  const condImages = tf.concat(perLabel, 0);
  const condProbs = predictBatched(C, condImages);
  const condReport = classificationReport(yEval, condProbs, { numClasses: K });
  // identityDrift on flattened pixels: row i of every entry is latent i; reference = the neutral label
  const flatStack = tf.tidy(() => [...perLabel, otherZ].map((x) => tf.reshape(x, [nPer, -1])));
  const labelDrift = identityDrift(flatStack as never, EMOTIONS.indexOf('neutral'));
  tf.dispose(flatStack);
  const pixRmse = (l2: number): number => l2 / Math.sqrt(cfg.size * cfg.size);
  const labelEffect = summarize(labelDrift.meanL2Distance.slice(0, K).filter((_, t) => t !== EMOTIONS.indexOf('neutral'))).mean;
  const latentEffect = labelDrift.meanL2Distance[K];
  {
    const grid = tf.tidy(() =>
      tf.stack(
        perLabel.map((x) => tf.slice(x, 0, 8)),
        0,
      ),
    );
    await saveAlphaStrip(
      grid,
      Array.from({ length: 8 }, (_, i) => i),
      path.join(out, 'conditional_samples.png'),
      {
        rowLabels: EMOTIONS.map((e) => e.slice(0, 5)),
        formatAlpha: (i) => `z${i}`,
        title: 'G(z | y): rows = y, columns = z',
      },
    );
    grid.dispose();
  }
  figures.push({ file: 'conditional_samples.png', caption: 'Conditional DCGAN samples G(z|y): one row per emotion label, one column per latent z (the same z down a column).' });
  log(`conditional samples: classifier accuracy ${condReport.accuracy.toFixed(3)} (${elapsed()})`);
  const quality = conditionalQuality(C, cfg, condImages, zEval, test.images, args.seed + 60);
  tf.dispose([zEval, zOther, otherZ, condImages, condProbs, ...perLabel]);
  log(`sample quality: ${describeQuality(quality, 'cDCGAN')}`);
  if (args.mode === 'standard' && synth && !fromCheckpoints) {
    const common = { example: '003-emotion-generation', seed: args.seed, seconds: round((Date.now() - startedAt) / 1000, 1), config: { ...cfg } };
    await saveCheckpoint(G, { ...common, name: 'conditional-generator', architecture: conditionalArchitecture(cfg), fid: quality.generators.cDCGAN.fid });
    await saveCheckpoint(C, { ...common, name: 'emotion-classifier', architecture: classifierArchitecture(cfg) });
  }

  // encoder E: L(E) = mean (x − G(E(x)|y))² + mean (z − E(G(z|y)))²; --checkpoints loads the one trained against the bundled G
  let E: tfl.LayersModel;
  const encLoss: number[] = [];
  if (fromCheckpoints) {
    E = (await loadCheckpoint('003-emotion-generation', 'encoder', encoderArchitecture(cfg))).model;
  } else {
    E = buildEncoder({ imageSize: cfg.size, channels: 1, latentDim: cfg.latentDim, filters: cfg.filters, seed: args.seed + 7 });
    const encOpt = adam({ learningRate: cfg.encLr, beta1: 0.5 });
    const rng = new Random(args.seed + 8);
    for (let step = 0; step < cfg.encSteps; step++) {
      const idx = Int32Array.from({ length: cfg.encBatch }, () => rng.int(0, cfg.nTrain));
      const x = takeRows(train.images, idx);
      const labels = takeRows(trainLabels, idx);
      const z = tf.tensor2d(rng.normalArray(cfg.encBatch * cfg.latentDim), [cfg.encBatch, cfg.latentDim]);
      encLoss.push(encoderTrainStep(encOpt, { encoder: E, generator: G, x, z, labels }));
      tf.dispose([x, labels, z]);
    }
    encOpt.dispose();
    log(`encoder trained, final loss ${summarize(encLoss.slice(-20)).mean.toFixed(4)} (${elapsed()})`);
    if (args.mode === 'standard' && synth) {
      const common = { example: '003-emotion-generation', seed: args.seed, seconds: round((Date.now() - startedAt) / 1000, 1), config: { ...cfg } };
      await saveCheckpoint(E, { ...common, name: 'encoder', architecture: encoderArchitecture(cfg) });
    }
  }
  if (gan.d.length > 0) {
    await saveLinePlot(
      [
        { name: 'D', y: smooth(gan.d) },
        { name: 'G', y: smooth(gan.g) },
      ],
      path.join(out, 'gan_losses.png'),
      { title: 'conditional DCGAN losses (moving average 20)', xLabel: 'step', yLabel: 'sigmoid cross-entropy' },
    );
    figures.push({ file: 'gan_losses.png', caption: 'D and G losses of the conditional DCGAN.' });
  }
  if (encLoss.length > 0) {
    await saveLinePlot([{ name: 'E', y: smooth(encLoss) }], path.join(out, 'encoder_loss.png'), { title: 'encoder loss', xLabel: 'step', yLabel: 'MSE (image + latent)' });
    figures.push({ file: 'encoder_loss.png', caption: 'Encoder loss (image reconstruction + latent cycle) while G is fixed.' });
  }

  // transfer: E(x) → z, G(z | y_target) for every target emotion
  const nS = Math.min(cfg.nSources, cfg.nTest);
  const srcIdx = Array.from({ length: nS }, (_, i) => i);
  const src = takeRows(test.images, srcIdx);
  const srcEmo = test.emotions.slice(0, nS);
  const zSrc = predictBatched(E, src);
  const transfers: tf.Tensor[] = [];
  const targetsAll: number[] = [];
  for (let t = 0; t < K; t++) {
    const yT = oneHot(new Int32Array(nS).fill(t), K);
    transfers.push(predictBatched(G, [zSrc, yT]));
    yT.dispose();
    for (let i = 0; i < nS; i++) targetsAll.push(t);
  }
  const yRec = oneHot(srcEmo, K);
  const recon = predictBatched(G, [zSrc, yRec]);
  yRec.dispose();
  const allTransfers = tf.concat(transfers, 0);
  const transferProbs = predictBatched(C, allTransfers);
  const transferReport = classificationReport(targetsAll, transferProbs, { numClasses: K });
  const srcProbs = predictBatched(C, src);
  // how often the transfer keeps the source's emotion (classifier on transfers to OTHER emotions)
  const tpArr = transferProbs.dataSync();
  const keepSource: number[] = [];
  const keepPred: number[] = [];
  for (let t = 0; t < K; t++) {
    for (let i = 0; i < nS; i++) {
      if (srcEmo[i] === t) continue;
      keepSource.push(srcEmo[i]);
      let b = 0;
      for (let c = 1; c < K; c++) if (tpArr[(t * nS + i) * K + c] > tpArr[(t * nS + i) * K + b]) b = c;
      keepPred.push(b);
    }
  }
  const sourceEmotionLeak = classificationAccuracy(keepSource, keepPred);
  tf.dispose([transferProbs, srcProbs]);

  // identity
  const flat = (x: tf.Tensor): tf.Tensor2D => tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
  const dim = cfg.size * cfg.size;
  const rmse = (l2: number): number => l2 / Math.sqrt(dim);
  const srcAndRecon = [flat(src), flat(recon)];
  const reconDrift = identityDrift(srcAndRecon as never, 0);
  tf.dispose(srcAndRecon);
  const srcLabels = srcIdx;
  // nearest source: is each transfer closest to its own source among the nS sources?
  const srcFlat = flat(src);
  const perTarget: Record<string, Record<string, number>> = {};
  let gtTop1Sum = 0;
  let srcTop1Sum = 0;
  let gtDistSum = 0;
  let otherDistSum = 0;
  const gtImagesForFigure: Float32Array[] = [];
  for (let t = 0; t < K; t++) {
    const q = flat(transfers[t]);
    const bySource = retrievalAccuracy(q, srcLabels, srcFlat, srcLabels, { topK: 3 });
    srcTop1Sum += bySource.top1Accuracy;
    const row: Record<string, number> = {
      classifierRecall: round(transferReport.perClassRecall[t]),
      nearestSourceTop1: round(bySource.top1Accuracy),
    };
    if (synth && pool && test.samples) {
      // ground truth: each source person rendered with emotion t (same pose), and a different person
      const gt = new Float32Array(nS * dim);
      const other = new Float32Array(nS * dim);
      for (let i = 0; i < nS; i++) {
        const s = test.samples[i];
        gt.set(renderTransfer(s, t, cfg.size), i * dim);
        const otherId = (s.identityId + 1 + (i % (pool.length - 1))) % pool.length;
        other.set(renderTransfer({ identity: pool[otherId], pose: s.pose }, t, cfg.size), i * dim);
      }
      if (t === 0 || gtImagesForFigure.length < K) gtImagesForFigure.push(gt.slice(0, Math.min(8, nS) * dim));
      const gtT = tf.tensor2d(gt, [nS, dim]);
      const otherT = tf.tensor2d(other, [nS, dim]);
      const drift = identityDrift([gtT, q, otherT] as never, 0);
      // gallery: every pool person rendered frontal with emotion t
      const gallery = new Float32Array(pool.length * dim);
      pool.forEach((id, p) => gallery.set(renderTransfer({ identity: id, pose: { yaw: 0, pitch: 0, roll: 0 } }, t, cfg.size), p * dim));
      const galleryT = tf.tensor2d(gallery, [pool.length, dim]);
      const byPerson = retrievalAccuracy(
        q,
        Array.from(test.identities.slice(0, nS)),
        galleryT,
        pool.map((_, p) => p),
        { topK: 3 },
      );
      gtTop1Sum += byPerson.top1Accuracy;
      gtDistSum += rmse(drift.meanL2Distance[1]);
      otherDistSum += rmse(drift.meanL2Distance[2]);
      row.rmseToGroundTruth = round(rmse(drift.meanL2Distance[1]));
      row.rmseOtherPersonToGroundTruth = round(rmse(drift.meanL2Distance[2]));
      row.identityTop1AmongPool = round(byPerson.top1Accuracy);
      tf.dispose([gtT, otherT, galleryT]);
    }
    q.dispose();
    perTarget[EMOTIONS[t]] = row;
  }
  srcFlat.dispose();
  log(`transfers measured (${elapsed()})`);

  // figures: sources, reconstruction and the seven transfers (Fig. 7); ground truth beside it
  const nFig = Math.min(8, nS);
  const cols = [tf.slice(src, 0, nFig), tf.slice(recon, 0, nFig), ...transfers.map((t) => tf.slice(t, 0, nFig))];
  const strip = tf.stack(cols, 1);
  const colNames = ['source', 'recon', ...EMOTIONS.map((e) => e.slice(0, 5))];
  await saveAlphaStrip(
    strip,
    colNames.map((_, i) => i),
    path.join(out, 'transfers.png'),
    {
      formatAlpha: (i) => colNames[i],
      rowLabels: Array.from(srcEmo.slice(0, nFig), (e) => EMOTIONS[e].slice(0, 5)),
      title: 'x -> G(E(x) | y) for each target emotion',
    },
  );
  tf.dispose([strip, ...cols]);
  figures.push({ file: 'transfers.png', caption: 'Emotion transfer (Fig. 7): source face (row label = its emotion), reconstruction G(E(x)|y_source), and G(E(x)|y) for the seven target emotions.' });
  if (synth && gtImagesForFigure.length === K) {
    const gtCols = gtImagesForFigure.map((g) => tf.tensor4d(g, [nFig, cfg.size, cfg.size, 1]));
    const srcCol = tf.slice(src, 0, nFig);
    const gtStrip = tf.stack([srcCol, srcCol, ...gtCols], 1);
    await saveAlphaStrip(
      gtStrip,
      colNames.map((_, i) => i),
      path.join(out, 'ground_truth_transfers.png'),
      {
        formatAlpha: (i) => (i === 1 ? 'source' : colNames[i]),
        title: "the renderer's ground truth for the same people and poses",
      },
    );
    tf.dispose([gtStrip, srcCol, ...gtCols]);
    figures.push({
      file: 'ground_truth_transfers.png',
      caption: `What the transfers should look like: the renderer draws each source person in the same pose with each emotion's prototype action units (intensity ${GT_INTENSITY}).`,
    });
  }
  await saveLinePlot(
    [
      { name: 'transfer recall', x: EMOTIONS.map((_, i) => i), y: transferReport.perClassRecall, markers: true },
      { name: 'G(z|y) recall', x: EMOTIONS.map((_, i) => i), y: condReport.perClassRecall, markers: true },
      { name: 'real test recall', x: EMOTIONS.map((_, i) => i), y: realReport.perClassRecall, markers: true },
    ],
    path.join(out, 'per_emotion_recall.png'),
    { title: 'classifier recall per target emotion (0 angry .. 6 neutral)', xLabel: 'emotion index', yLabel: 'recall', yRange: [0, 1] },
  );
  figures.push({
    file: 'per_emotion_recall.png',
    caption:
      'Fraction of faces the classifier assigns to the intended emotion, per emotion (0 angry, 1 disgust, 2 fear, 3 happy, 4 sad, 5 surprise, 6 neutral): transfers, conditional samples, and real test faces.',
  });
  tf.dispose([src, recon, allTransfers, ...transfers, zSrc, trainLabels]);

  const happy = EMOTIONS.indexOf('happy');
  const surprise = EMOTIONS.indexOf('surprise');
  const recalls = transferReport.perClassRecall;
  const best2 = recalls
    .map((r, i) => [r, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, 2)
    .map(([, i]) => i);
  const meanGtTop1 = gtTop1Sum / K;
  const meanSrcTop1 = srcTop1Sum / K;
  const metrics: Record<string, unknown> = {
    config: cfg,
    cpuSeconds: cpuSeconds(),
    classifierRealTestAccuracy: round(realReport.accuracy),
    conditionalSampleAccuracy: round(condReport.accuracy),
    conditionalSampleRecallPerClass: Object.fromEntries(EMOTIONS.map((e, i) => [e, round(condReport.perClassRecall[i])])),
    classifierRealRecallPerClass: Object.fromEntries(EMOTIONS.map((e, i) => [e, round(realReport.perClassRecall[i])])),
    sampleQuality: quality,
    labelEffectRmse: round(pixRmse(labelEffect)),
    latentEffectRmse: round(pixRmse(latentEffect)),
    transferAccuracy: round(transferReport.accuracy),
    transferBalancedAccuracy: round(transferReport.balancedAccuracy),
    transferKeepsSourceEmotion: round(sourceEmotionLeak),
    chance: round(1 / K),
    encoderFinalLoss: encLoss.length > 0 ? round(summarize(encLoss.slice(-20)).mean, 4) : 'loaded from checkpoints/',
    reconstructionRmse: round(rmse(reconDrift.meanL2Distance[1])),
    transferNearestSourceTop1: round(meanSrcTop1),
    perTarget,
    finalLosses: gan.d.length > 0 ? { D: round(summarize(gan.d.slice(-50)).mean), G: round(summarize(gan.g.slice(-50)).mean) } : 'loaded from checkpoints/',
  };
  if (synth) {
    metrics.transferIdentityTop1AmongPool = round(meanGtTop1);
    metrics.identityChance = round(1 / cfg.identities);
    metrics.rmseTransferToGroundTruth = round(gtDistSum / K);
    metrics.rmseOtherPersonToGroundTruth = round(otherDistSum / K);
  }
  const claims: Claim[] = [
    {
      claim: 'The conditional DCGAN generates faces with preset emotions.',
      ours: `the classifier (${pct(realReport.accuracy)} on real test faces) assigns ${pct(condReport.accuracy)} of G(z|y) samples to y (chance ${pct(1 / K)}); changing y for a fixed z moves the picture by RMSE ${pixRmse(labelEffect).toFixed(3)}, changing z by ${pixRmse(latentEffect).toFixed(3)}.`,
      verdict: condReport.accuracy >= 0.8 * realReport.accuracy ? 'reproduced' : condReport.accuracy > 2 / K ? 'partly' : 'not reproduced',
    },
    {
      claim: 'x → G(E(x)|y) transfers a face to the specified emotion; "quite high percentages" of transfers match their label.',
      ours: `${pct(transferReport.accuracy)} of ${K * nS} transfers are classified as the target emotion (balanced ${pct(transferReport.balancedAccuracy)}; chance ${pct(1 / K)}); ${pct(sourceEmotionLeak)} of transfers to another emotion still read as the source's emotion.`,
      verdict: transferReport.accuracy >= 0.6 ? 'reproduced' : transferReport.accuracy > 2 / K ? 'partly' : 'not reproduced',
    },
    {
      claim: 'Happy (label 3) and surprise (label 5) transfers are the most successful (distinctive mouths).',
      ours: `transfer recall per emotion: ${EMOTIONS.map((e, i) => `${e} ${recalls[i].toFixed(2)}`).join(', ')}; the two best are ${best2.map((i) => EMOTIONS[i]).join(' and ')}.`,
      verdict: best2.includes(happy) && best2.includes(surprise) ? 'reproduced' : best2.includes(happy) || best2.includes(surprise) ? 'partly' : 'not reproduced',
    },
    {
      claim: 'The transferred face keeps the identity ("exactly the same face"), with some failures (identity/gender changes, low contrast) caused by the imperfect encoder.',
      ours: synth
        ? `a transfer is nearest to its own person among ${cfg.identities} ground-truth renders in ${pct(meanGtTop1)} of cases (chance ${pct(1 / cfg.identities)}) and nearest to its own source among ${nS} sources in ${pct(meanSrcTop1)}; pixel RMSE to the ground-truth transfer ${(gtDistSum / K).toFixed(3)} vs ${(otherDistSum / K).toFixed(3)} between two different people; reconstruction RMSE ${rmse(reconDrift.meanL2Distance[1]).toFixed(3)}.`
        : `a transfer is nearest to its own source among ${nS} sources in ${pct(meanSrcTop1)} of cases (chance ${pct(1 / nS)}); reconstruction RMSE ${rmse(reconDrift.meanL2Distance[1]).toFixed(3)}.`,
      verdict: (synth ? meanGtTop1 : meanSrcTop1) >= 0.8 ? 'reproduced' : (synth ? meanGtTop1 * cfg.identities : meanSrcTop1 * nS) > 2 ? 'partly' : 'not reproduced',
    },
  ];
  const notes = [
    `cDCGAN: y one-hot concatenated to z in G and tiled as image channels in D${labelNote(cfg)}, ngf = ndf = ${cfg.filters}, z ∈ R^${cfg.latentDim}, sigmoid cross-entropy (non-saturating G loss), Adam lr ${cfg.ganLr} β1 0.5, batch ${cfg.ganBatch}, ${cfg.ganSteps} steps${cfg.emaHalfLife ? `, samples from an EMA of G's weights (half-life ${cfg.emaHalfLife} steps)` : ''}. The document: batch 64, lr 2e-4, 50 epochs of FER2013 (~100 min on a GTX 1080).`,
    `Encoder: the DCGAN discriminator trunk + dense → z (Fig. 4), trained ${cfg.encSteps} steps with G fixed on mean (x − G(E(x)|y_x))² (eq. 14 as a mean) + mean (z − E(G(z|y)))².`,
    'The judge is a small CNN classifier trained on the ground-truth emotions of real (rendered) faces; identity is measured in pixel space against renderer ground truth, not with a face-recognition network.',
    synth
      ? `Test sources are new pictures (new expression, intensity and pose) of the ${cfg.identities} people of the training set, as FER2013's test faces are new pictures; the ground-truth transfer uses the prototype AUs at intensity ${GT_INTENSITY}.`
      : 'FER2013: no ground truth of other emotions for a photo, so identity is checked against the other sources only.',
    `Full mode: ${FULL.ganSteps} GAN steps at 64×64 / batch ${FULL.ganBatch} + ${FULL.encSteps} encoder steps, expected ≈ 13 h on 2 cores with wasm (estimated from per-step timings); not run for this report.`,
  ];
  for (const s of [train, test]) s.images.dispose();
  for (const m of [C, G, E] as tfl.LayersModel[]) m.dispose();
  return {
    example: '003-emotion-generation',
    title: 'Human emotion generation: conditional DCGAN + encoder emotion transfer',
    document: 'document 003 — Y. Fan, S. Liu, W. Wang, "Human Emotion Generation with Generative Adversarial Networks" (KTH)',
    ...runFields(args, dataName),
    metrics,
    figures,
    claims,
    notes,
  };
}

const example: ExampleModule = { name: '003-emotion-generation', run };
export default example;
runIfMain(import.meta.url, example);
