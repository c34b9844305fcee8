/**
 * The Steering-HoloGAN reproduction's pipeline, at any size: synthetic faces with pose ranges and a
 * CelebA-like expression imbalance, HoloGAN (src/models, 1 D : 2 G, shared batch_z, non-saturating
 * loss — src/train `ganUpdates`), a DCGAN as the "other GAN", the frozen judges (AU regressor and
 * identity embedding, examples/common/face_heads.ts), expression walks learned with document 000's
 * L_emb + L_aur loss (src/losses `steeringObjective` in src/latent `trainLinearWalk`), and their
 * evaluation (src/metrics `poseConsistency`, `attributeCurve`, `identityDrift`).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { auIndex, synthFaceDataset, type Emotion, type FaceSample, renderFace } from '../../src/data/index.js';
import { SpectralNormConv2D, sampleViews, type ViewRanges } from '../../src/layers/index.js';
import { applyLinearWalk, sampleLatents, trainLinearWalk } from '../../src/latent/index.js';
import { steeringObjective } from '../../src/losses/index.js';
import {
  attributeCurve,
  cosineSimilarityMatrix,
  identityDrift,
  kidFromActivations,
  pearsonCorrelation,
  poseConsistency,
  type AttributeCurve,
  type IdentityDrift,
  type PoseConsistency,
} from '../../src/metrics/index.js';
import { buildDcganDiscriminator, buildDcganGenerator, buildHoloGanDiscriminator, buildHoloGanGenerator, trainableVariables } from '../../src/models/index.js';
import { Adam, ExponentialMovingAverage, Trainer, ganUpdates, modelVariables, updateBatchNormStatistics, type StepResult } from '../../src/train/index.js';
import { Random } from '../../src/index.js';
import { headFeatures, sampleQuality, type SampleQuality } from '../common/sample_quality.js';
import { trainAuRegressor, trainIdentityEmbedding, type TrainedHead } from '../common/face_heads.js';
import { BATCH_NORM_UPDATE_BATCHES, predictBatched, runRecorded } from '../common/train_helpers.js';
import { loadCheckpoint, loadJsonCheckpoint } from '../common/checkpoints.js';

export { CONFIGS, FULL, QUICK, STANDARD, type SteeringConfig } from './config.js';
import type { SteeringConfig } from './config.js';

/** Data pose ranges (radians): the faces turn ±34° left/right and ±14° up/down (the document lets CelebA poses vary by ±45°). */
export const POSE_RANGES = { yaw: [-0.6, 0.6] as [number, number], pitch: [-0.25, 0.25] as [number, number], roll: [0, 0] as [number, number] };
/** Aligned, near-frontal faces (±4.6° yaw, ±2.9° pitch and roll), like CelebA's aligned crops and EmotioNet face crops. */
export const ALIGNED_POSE_RANGES = { yaw: [-0.08, 0.08] as [number, number], pitch: [-0.05, 0.05] as [number, number], roll: [-0.05, 0.05] as [number, number] };
/** HoloGAN view sampling matched to the data: azimuth 270° ± 35°, elevation ±15° (integer degrees, as the reference). */
export const VIEW_RANGES: Partial<ViewRanges> = { azimuthLow: 235, azimuthHigh: 306, elevationLow: 75, elevationHigh: 106 };
export const FRONTAL_VIEW = [(270 * Math.PI) / 180, 0, 1, 0, 0, 0];
/**
 * A CelebA-like expression imbalance (many smiles and neutral faces, few sad ones): the document
 * blames its weak sadness walks on it. Drawn uniformly from this list: happy 8/20, neutral 7/20,
 * surprise 2/20, angry, disgust, fear, sad 1/20 each.
 */
export const BIASED_EMOTIONS: Emotion[] = [...Array<Emotion>(8).fill('happy'), ...Array<Emotion>(7).fill('neutral'), 'surprise', 'surprise', 'angry', 'disgust', 'fear', 'sad'];
/** The expressions walked: smile = AU6 + AU12 (the document's "smile"), sadness = AU1 + AU4 + AU15 (EMFACS). */
export const EXPRESSIONS: Record<'smile' | 'sadness', string[]> = { smile: ['AU6', 'AU12'], sadness: ['AU1', 'AU4', 'AU15'] };
export const ALPHA_SWEEPS: Record<'unit' | 'four' | 'ten', number[]> = {
  unit: [0, 0.25, 0.5, 0.75, 1],
  four: [-4, -3, -2, -1, 0, 1, 2, 3, 4],
  ten: [-10, -7.5, -5, -2.5, 0, 2.5, 5, 7.5, 10],
};

export interface SteeringData {
  /** HoloGAN's faces: posed (POSE_RANGES). */
  gan: tf.Tensor4D;
  /** The DCGAN's faces: the same mix, aligned near-frontal (the document's PGGAN was trained on aligned CelebA). */
  ganAligned: tf.Tensor4D;
  regressor: { images: tf.Tensor4D; aus: Float32Array };
  judge: { images: tf.Tensor4D; aus: Float32Array };
  /** Posed people, several images each: the identity embedding's and the pose regressor's training set. */
  embedding: { images: tf.Tensor4D; identityIds: Int32Array; samples: FaceSample[]; poses: Float32Array };
  description: string;
}

export function synthSteeringData(c: SteeringConfig, seed: number): SteeringData {
  const size = c.imageSize;
  const ganOptions = {
    n: c.ganImages,
    size,
    emotions: BIASED_EMOTIONS,
    intensity: [0.4, 1] as [number, number],
    identities: c.ganIdentities > 0 ? c.ganIdentities : undefined,
    seed: seed * 5 + 1,
  };
  const gan = synthFaceDataset({ ...ganOptions, poseRanges: POSE_RANGES });
  const aligned = synthFaceDataset({ ...ganOptions, poseRanges: ALIGNED_POSE_RANGES });
  // The AU regressors see every expression equally often (an "EmotioNet" with all AUs), other people,
  // aligned faces like EmotioNet crops (small CNNs trained for a few hundred steps do not learn AUs
  // across ±34° poses); the walks are judged on aligned or frontal-view images.
  const reg = synthFaceDataset({ n: c.regressorImages, size, poseRanges: ALIGNED_POSE_RANGES, intensity: [0.2, 1], seed: seed * 5 + 2 });
  const judge = synthFaceDataset({ n: c.regressorImages, size, poseRanges: ALIGNED_POSE_RANGES, intensity: [0.2, 1], seed: seed * 5 + 3 });
  const emb = synthFaceDataset({ n: c.embeddingIdentities * c.embeddingImagesPerIdentity, size, poseRanges: POSE_RANGES, identities: c.embeddingIdentities, seed: seed * 5 + 4 });
  return {
    gan: gan.images,
    ganAligned: aligned.images,
    regressor: { images: reg.images, aus: reg.aus },
    judge: { images: judge.images, aus: judge.aus },
    embedding: { images: emb.images, identityIds: emb.identityIds, samples: emb.samples, poses: emb.poses },
    description: `synthetic faces, ${size} px: ${c.ganImages} GAN faces of ${c.ganIdentities > 0 ? `${c.ganIdentities} people` : 'as many people'} (CelebA-like expression mix: 40 % happy, 5 % sad; posed yaw ±34°, pitch ±14° for HoloGAN, aligned for the DCGAN), ${c.regressorImages} + ${c.regressorImages} aligned faces for the two AU regressors, ${c.embeddingIdentities} posed people × ${c.embeddingImagesPerIdentity} for the identity embedding`,
  };
}

/**
 * FID/KID of both GANs in the judge regressor's pooled features, each against fresh renders of its
 * own training distribution (HoloGAN: posed; DCGAN: aligned) that no model trained on, with the
 * data-vs-data floor and the untrained generators (same architectures, other seeds).
 */
export function ganQuality(c: SteeringConfig, gans: TrainedGan[], judges: Judges, seed: number): Record<string, SampleQuality> {
  const n = Math.min(500, c.ganImages);
  const features = headFeatures(judges.judge.model);
  const out: Record<string, SampleQuality> = {};
  for (const gan of gans) {
    const posed = gan.name === 'HoloGAN';
    const real = synthFaceDataset({ n: 2 * n, size: c.imageSize, emotions: BIASED_EMOTIONS, intensity: [0.4, 1], poseRanges: posed ? POSE_RANGES : ALIGNED_POSE_RANGES, seed: seed + (posed ? 1 : 2) });
    const untrained = posed
      ? buildHoloGanGenerator({ imageSize: c.imageSize, zDim: c.zDim, gfDim: c.gfDim, seed: seed + 3 })
      : buildDcganGenerator({ imageSize: c.imageSize, latentDim: c.dcganLatent, filters: c.dcganFilters, seed: seed + 4 });
    const z = sampleLatents(n, gan.latentDim, { distribution: gan.latentDistribution, seed: seed + 5 });
    const views = posed ? sampleViews(n, VIEW_RANGES, seed + 6) : undefined;
    const inputs: tf.Tensor[] = views ? [z, views] : [z];
    const render = (g: tfl.LayersModel) => predictBatched(g, inputs, 64) as tf.Tensor4D;
    const sets = {
      heldOut: tf.slice(real.images, 0, n) as tf.Tensor4D,
      otherReal: tf.slice(real.images, n, n) as tf.Tensor4D,
      generated: render(gan.generator),
      untrained: render(untrained),
    };
    try {
      out[gan.name] = sampleQuality({
        features,
        featuresName: "the judge AU regressor's pooled features (trained on the renderer's ground-truth AUs)",
        heldOut: sets.heldOut,
        otherReal: sets.otherReal,
        generated: { [gan.name]: sets.generated },
        untrained: { [gan.name]: sets.untrained },
        seed: seed + 7,
      });
    } finally {
      tf.dispose([z, ...(views ? [views] : []), real.images, ...Object.values(sets)]);
      untrained.dispose();
    }
  }
  return out;
}

export function disposeSteeringData(d: SteeringData): void {
  tf.dispose([d.gan, d.ganAligned, d.regressor.images, d.judge.images, d.embedding.images]);
}

export interface Judges {
  /** AU regressor used inside the walk loss (AUR). */
  aur: TrainedHead;
  /** A second AU regressor (other faces, other seed) that scores the walks. */
  judge: TrainedHead;
  /** Identity embedding (EMB). */
  emb: TrainedHead;
  /** Pose regressor: yaw and pitch, each mapped from POSE_RANGES to [0, 1] ({@link readPose} maps back to degrees). */
  pose: TrainedHead;
}

/** Map yaw and pitch (radians) from POSE_RANGES to the pose regressor's [0, 1] targets. */
export function poseTargets(poses: Float32Array): Float32Array {
  const n = poses.length / 3;
  const out = new Float32Array(n * 2);
  const [yl, yh] = POSE_RANGES.yaw;
  const [pl, ph] = POSE_RANGES.pitch;
  for (let i = 0; i < n; i++) {
    out[i * 2] = (poses[i * 3] - yl) / (yh - yl);
    out[i * 2 + 1] = (poses[i * 3 + 1] - pl) / (ph - pl);
  }
  return out;
}

/** The pose regressor's reading of `images`: yaw and pitch in degrees per image. */
export function readPose(judges: Judges, images: tf.Tensor4D): { yaw: number[]; pitch: number[] } {
  const t = predictBatched(judges.pose.model, images);
  const v = t.dataSync();
  t.dispose();
  const [yl, yh] = POSE_RANGES.yaw;
  const [pl, ph] = POSE_RANGES.pitch;
  const deg = 180 / Math.PI;
  const yaw: number[] = [];
  const pitch: number[] = [];
  for (let i = 0; i < v.length / 2; i++) {
    yaw.push((yl + v[i * 2] * (yh - yl)) * deg);
    pitch.push((pl + v[i * 2 + 1] * (ph - pl)) * deg);
  }
  return { yaw, pitch };
}

export function trainJudges(c: SteeringConfig, d: SteeringData, seed: number): Judges {
  const aur = trainAuRegressor({ images: d.regressor.images, aus: d.regressor.aus, numAus: 13, steps: c.regressorSteps, filters: [16, 32, 64, 128], seed: seed * 3 + 1 });
  const judge = trainAuRegressor({ images: d.judge.images, aus: d.judge.aus, numAus: 13, steps: c.regressorSteps, filters: [16, 32, 64, 128], seed: seed * 3 + 2 });
  const emb = trainIdentityEmbedding({ images: d.embedding.images, identityIds: d.embedding.identityIds, steps: c.embeddingSteps, filters: [16, 32, 64], seed: seed * 3 + 3 });
  // The AU regressor's architecture and MSE on [0, 1] targets serve as a yaw/pitch regressor trained on the renderer's exact pose.
  const pose = trainAuRegressor({ images: d.embedding.images, aus: poseTargets(d.embedding.poses), numAus: 2, steps: c.regressorSteps, filters: [16, 32, 64], seed: seed * 3 + 4 });
  return { aur, judge, emb, pose };
}

/** z → images for a frozen generator. */
export type FrozenGenerator = (z: tf.Tensor2D) => tf.Tensor4D;

export interface TrainedGan {
  name: string;
  generator: tfl.LayersModel;
  /** Absent for a generator loaded from `checkpoints/` (only generators are bundled). */
  discriminator?: tfl.LayersModel;
  /** Frozen z → image (HoloGAN at the frontal view). */
  frozen: FrozenGenerator;
  latentDim: number;
  latentDistribution: 'uniform' | 'normal';
  history: StepResult[];
  secondsPerIteration: number;
}

function firstOutput(out: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(out) ? out[0] : out;
}

function realBatches(images: tf.Tensor4D, batch: number) {
  const n = images.shape[0];
  return ({ rng }: { rng: Random }) =>
    tf.tidy(() =>
      tf.gather(
        images,
        tf.tensor1d(
          Array.from({ length: batch }, () => rng.int(0, n)),
          'int32',
        ),
      ),
    );
}

/**
 * The spectral-norm layers draw their power-iteration vector u from an unseeded truncated normal
 * (src/layers/spectral_norm.ts takes no seed for it), which made runs with the same --seed differ.
 * Redraw every u ~ truncated N(0, 1) (the reference's init) from the run's seed.
 */
function seedSpectralNormU(model: tfl.LayersModel, seed: number): void {
  const rng = new Random(seed);
  for (const layer of model.layers) {
    if (!(layer instanceof SpectralNormConv2D)) continue;
    for (const w of layer.nonTrainableWeights) {
      if (!/(^|\/)u(_\d+)?$/.test(w.originalName) && !/(^|\/)u(_\d+)?$/.test(w.name)) continue;
      const shape = w.shape as number[];
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < values.length; i++) {
        let v = rng.normal();
        while (Math.abs(v) > 2) v = rng.normal();
        values[i] = v;
      }
      const t = tf.tensor(values, shape);
      w.write(t);
      t.dispose();
    }
  }
}

/** An EMA of G's weights (or undefined when `halfLife` is 0 or absent). */
function generatorAverage(generator: tfl.LayersModel, halfLife: number | undefined): ExponentialMovingAverage | undefined {
  return halfLife ? new ExponentialMovingAverage(modelVariables(generator), { halfLife }) : undefined;
}

/**
 * Load the averages into G and free them, then re-estimate G's BatchNorm statistics (they belong to
 * the raw weights) over training-mode passes on `input(i)`.
 */
function loadAverage(ema: ExponentialMovingAverage | undefined, generator: tfl.LayersModel, input: (i: number) => tf.Tensor | tf.Tensor[]): void {
  if (!ema) return;
  ema.variables.forEach((v, i) => v.assign(ema.averages[i]));
  ema.dispose();
  updateBatchNormStatistics(generator, input, { batches: BATCH_NORM_UPDATE_BATCHES });
}

/** HoloGAN with the reference schedule: z ~ U(−1, 1) and views drawn once per iteration, 1 D step then 2 G steps, non-saturating loss. */
export function trainHoloGan(c: SteeringConfig, images: tf.Tensor4D, seed: number): TrainedGan {
  const generator = buildHoloGanGenerator({ imageSize: c.imageSize, zDim: c.zDim, gfDim: c.gfDim, seed: seed * 7 + 1 });
  // λ_latent = 0 (the reference default at 64 px): no latent head.
  const discriminator = buildHoloGanDiscriminator({ imageSize: c.imageSize, dfDim: c.dfDim, zDim: 0, seed: seed * 7 + 2 });
  seedSpectralNormU(discriminator, seed * 7 + 8);
  const view = (ctx: { rng: Random; stashed(k: string): tf.Tensor | undefined; stash(k: string, t: tf.Tensor): tf.Tensor }, b: number) =>
    ctx.stashed('view') ?? ctx.stash('view', sampleViews(b, VIEW_RANGES, ctx.rng));
  const gOpt = new Adam({ learningRate: c.hologanLr, beta1: 0.5, beta2: 0.999 });
  const dOpt = new Adam({ learningRate: c.hologanLr, beta1: 0.5, beta2: 0.999 });
  const ema = generatorAverage(generator, c.emaHalfLife);
  const trainer = new Trainer({
    seed: seed * 7 + 3,
    ema,
    data: realBatches(images, c.hologanBatch),
    updates: ganUpdates({
      generator: (z, ctx) => generator.apply([z, view(ctx, z.shape[0])], { training: true }) as tf.Tensor,
      discriminator: (x) => firstOutput(discriminator.apply(x, { training: true }) as tf.Tensor | tf.Tensor[]),
      generatorVariables: trainableVariables(generator),
      discriminatorVariables: trainableVariables(discriminator),
      generatorOptimizer: gOpt,
      discriminatorOptimizer: dOpt,
      latent: (ctx, b) => ctx.uniform([b, c.zDim], -1, 1),
      latentPerStep: true,
      generatorRepeats: 2,
      loss: 'nonSaturating',
    }),
  });
  const { history, secondsPerIteration } = runRecorded(trainer, c.hologanIterations);
  const bnRng = new Random(seed * 7 + 9);
  loadAverage(ema, generator, () => [tf.randomUniform([64, c.zDim], -1, 1, 'float32', bnRng.int(0, 2 ** 31 - 1)), sampleViews(64, VIEW_RANGES, bnRng)]);
  trainer.dispose();
  gOpt.dispose();
  dOpt.dispose();
  return { name: 'HoloGAN', generator, discriminator, frozen: frontalHoloGan(generator), latentDim: c.zDim, latentDistribution: 'uniform', history, secondsPerIteration };
}

/** DCGAN (the document's stand-in for another GAN was Progressive GAN): z ~ N(0, I), 1 D : 1 G, non-saturating. */
export function trainDcgan(c: SteeringConfig, images: tf.Tensor4D, seed: number): TrainedGan {
  const generator = buildDcganGenerator({ imageSize: c.imageSize, latentDim: c.dcganLatent, filters: c.dcganFilters, seed: seed * 7 + 4 });
  const discriminator = buildDcganDiscriminator({ imageSize: c.imageSize, filters: c.dcganDiscriminatorFilters ?? c.dcganFilters, seed: seed * 7 + 5 });
  const gOpt = new Adam({ learningRate: c.dcganLr, beta1: 0.5 });
  const dOpt = new Adam({ learningRate: c.dcganLr, beta1: 0.5 });
  const ema = generatorAverage(generator, c.emaHalfLife);
  const trainer = new Trainer({
    seed: seed * 7 + 6,
    ema,
    data: realBatches(images, c.dcganBatch),
    updates: ganUpdates({
      generator: (z) => generator.apply(z, { training: true }) as tf.Tensor,
      discriminator: (x) => discriminator.apply(x, { training: true }) as tf.Tensor,
      generatorVariables: trainableVariables(generator),
      discriminatorVariables: trainableVariables(discriminator),
      generatorOptimizer: gOpt,
      discriminatorOptimizer: dOpt,
      latentDim: c.dcganLatent,
      loss: 'nonSaturating',
    }),
  });
  const { history, secondsPerIteration } = runRecorded(trainer, c.dcganIterations);
  const bnRng = new Random(seed * 7 + 10);
  loadAverage(ema, generator, () => tf.randomNormal([64, c.dcganLatent], 0, 1, 'float32', bnRng.int(0, 2 ** 31 - 1)));
  trainer.dispose();
  gOpt.dispose();
  dOpt.dispose();
  return { name: 'DCGAN', generator, discriminator, frozen: inferenceDcgan(generator), latentDim: c.dcganLatent, latentDistribution: 'normal', history, secondsPerIteration };
}

/** HoloGAN z → image at the frontal view, in inference mode. */
function frontalHoloGan(generator: tfl.LayersModel): FrozenGenerator {
  return (z) =>
    tf.tidy(() => {
      const v = tf.tile(tf.tensor2d([FRONTAL_VIEW]), [z.shape[0], 1]);
      return generator.apply([z, v], { training: false }) as tf.Tensor4D;
    });
}

/** DCGAN z → image in inference mode. */
function inferenceDcgan(generator: tfl.LayersModel): FrozenGenerator {
  return (z) => tf.tidy(() => generator.apply(z, { training: false }) as tf.Tensor4D);
}

/**
 * The architecture each bundled checkpoint of this example must have: the standard run writes it
 * into the card and `--checkpoints` refuses a checkpoint whose card names another.
 */
export function checkpointArchitectures(c: SteeringConfig): Record<'hologan-generator' | 'dcgan-generator' | 'au-regressor' | 'judge-au-regressor' | 'identity-embedding' | 'pose-regressor', string> {
  const auRegressor = `AU regressor ${c.imageSize} px, filters 16/32/64/128, 13 AUs`;
  return {
    'hologan-generator': `HoloGAN generator ${c.imageSize} px, gf ${c.gfDim}, z ${c.zDim}`,
    'dcgan-generator': `DCGAN generator ${c.imageSize} px, ngf ${c.dcganFilters}, z ${c.dcganLatent}`,
    'au-regressor': auRegressor,
    'judge-au-regressor': auRegressor,
    'identity-embedding': `identity embedding ${c.imageSize} px, filters 16/32/64`,
    'pose-regressor': `pose regressor ${c.imageSize} px, filters 16/32/64, yaw and pitch mapped to [0, 1] over ±34°, ±14°`,
  };
}

/** The standard run's bundled models (`npm run demo`): both generators and the four heads, with no training record. */
export async function loadSteeringModels(c: SteeringConfig): Promise<{ judges: Judges; hologan: TrainedGan; dcgan: TrainedGan }> {
  const arch = checkpointArchitectures(c);
  const load = async (name: keyof typeof arch) => (await loadCheckpoint('000-steering-hologan', name, arch[name])).model;
  const head = async (name: keyof typeof arch): Promise<TrainedHead> => ({ model: await load(name), losses: [], seconds: NaN });
  const judges: Judges = { aur: await head('au-regressor'), judge: await head('judge-au-regressor'), emb: await head('identity-embedding'), pose: await head('pose-regressor') };
  const hg = await load('hologan-generator');
  const dg = await load('dcgan-generator');
  return {
    judges,
    hologan: { name: 'HoloGAN', generator: hg, frozen: frontalHoloGan(hg), latentDim: c.zDim, latentDistribution: 'uniform', history: [], secondsPerIteration: NaN },
    dcgan: { name: 'DCGAN', generator: dg, frozen: inferenceDcgan(dg), latentDim: c.dcganLatent, latentDistribution: 'normal', history: [], secondsPerIteration: NaN },
  };
}

/** Regressor outputs of the expression's AUs, [B, |AUs|]. */
function selectAus(model: tfl.LayersModel, aus: string[]): (images: tf.Tensor) => tf.Tensor {
  const idx = aus.map((a) => auIndex(a));
  return (images) => tf.gather(model.apply(images, { training: false }) as tf.Tensor, tf.tensor1d(idx, 'int32'), 1);
}

export interface LearnedWalk {
  expression: string;
  aus: string[];
  /** [latentDim, 1]. */
  w: tf.Tensor2D;
  losses: number[];
  seconds: number;
}

/**
 * Document 000's walk: only w is trained; L = L2(EMB(G(z)), EMB(G(z + αw))) + L2(α, AUR(G(z + αw))) on
 * the expression's AUs, α ~ U(0, 1) — the target intensity of every AU of the expression is α.
 */
export function learnExpressionWalk(gan: TrainedGan, judges: Judges, expression: keyof typeof EXPRESSIONS, c: SteeringConfig, seed: number): LearnedWalk {
  const aus = EXPRESSIONS[expression];
  const start = Date.now();
  const embed = judges.emb.model;
  const { w, losses } = trainLinearWalk({
    generator: gan.frozen,
    latentDim: gan.latentDim,
    distribution: gan.latentDistribution,
    objective: steeringObjective({
      embedding: (img) => embed.apply(img, { training: false }) as tf.Tensor,
      auRegressor: selectAus(judges.aur.model, aus),
      target: (alpha) => tf.tile(alpha, [1, aus.length]),
    }),
    sampleAlpha: (b, rng) => Array.from({ length: b }, () => [rng.uniform(0, 1)]),
    steps: gan.name === 'DCGAN' ? c.dcganWalkSteps : c.walkSteps,
    batchSize: c.walkBatch,
    lr: c.walkLr,
    seed,
  });
  return { expression, aus, w, losses, seconds: (Date.now() - start) / 1000 };
}

/** What the bundled walks are: both generators' smile and sadness walks (compared when they are loaded). */
export function walksArchitecture(c: SteeringConfig): string {
  return `linear walks (${Object.keys(EXPRESSIONS).join(', ')}) of HoloGAN z ${c.zDim} (${c.walkSteps} steps) and DCGAN z ${c.dcganLatent} (${c.dcganWalkSteps} steps), batch ${c.walkBatch}, lr ${c.walkLr}`;
}

export interface StoredWalk {
  gan: string;
  expression: string;
  aus: string[];
  w: number[];
  losses: number[];
  seconds: number;
}

/** The standard run's learned walks as JSON rows (w as float32 values; the losses for the report). */
export function walksToJson(walks: { gan: string; walk: LearnedWalk }[]): StoredWalk[] {
  return walks.map(({ gan, walk }) => ({ gan, expression: walk.expression, aus: walk.aus, w: Array.from(walk.w.dataSync()), losses: walk.losses, seconds: walk.seconds }));
}

/** The standard run's walks (`npm run demo`), read once; pick one with `bundledWalk`. */
export function loadBundledWalks(c: SteeringConfig): StoredWalk[] {
  return loadJsonCheckpoint<StoredWalk[]>('000-steering-hologan', 'walks', walksArchitecture(c)).data;
}

/** The bundled walk of `gan`'s `expression`, as learnExpressionWalk returned it in the standard run. */
export function bundledWalk(stored: StoredWalk[], gan: TrainedGan, expression: string): LearnedWalk {
  const row = stored.find((r) => r.gan === gan.name && r.expression === expression);
  if (!row || row.w.length !== gan.latentDim) {
    throw new Error(
      `bundledWalk: checkpoints/000-steering-hologan/walks has no ${gan.name} ${expression} walk of length ${gan.latentDim}${row ? ` (it has ${row.w.length})` : ''}; rerun the example in standard mode`,
    );
  }
  return { expression, aus: row.aus, w: tf.tensor2d(row.w, [gan.latentDim, 1]), losses: row.losses, seconds: row.seconds };
}

export interface SweepResult {
  alphas: number[];
  /** Mean intensity of the expression's AUs per α, by the walk's own regressor (AUR) and by the independent judge. */
  aurCurve: AttributeCurve;
  judgeCurve: AttributeCurve;
  /** The judge's readings behind `judgeCurve`: one row per α, one column per z. */
  judgeScores: number[][];
  drift: IdentityDrift;
  /** 1 − mean cosine similarity between the un-edited faces of different z (how far "another person" is). */
  otherIdentityDistance: number;
}

/** Evaluate a walk over `alphas` on `z` (fixed codes): AU intensity vs α and identity drift vs α. */
export function sweepWalk(gan: TrainedGan, judges: Judges, walk: LearnedWalk, z: tf.Tensor2D, alphas: number[]): SweepResult & { images: tf.Tensor4D } {
  const n = z.shape[0];
  const meanAus = (model: tfl.LayersModel, img: tf.Tensor4D): number[] => {
    const f = selectAus(model, walk.aus);
    const t = tf.tidy(() =>
      tf.mean(
        predictBatched((x) => f(x), img),
        1,
      ),
    );
    const v = Array.from(t.dataSync());
    t.dispose();
    return v;
  };
  const aur: number[][] = [];
  const judge: number[][] = [];
  const embeddings: number[][][] = [];
  const images: tf.Tensor4D[] = [];
  for (const a of alphas) {
    const zz = applyLinearWalk(z, walk.w, a) as tf.Tensor2D;
    const img = gan.frozen(zz);
    zz.dispose();
    aur.push(meanAus(judges.aur.model, img));
    judge.push(meanAus(judges.judge.model, img));
    const e = predictBatched(judges.emb.model, img);
    embeddings.push(e.arraySync() as number[][]);
    e.dispose();
    images.push(img);
  }
  const ref = alphas.indexOf(0);
  if (ref < 0) throw new Error(`sweepWalk: 'alphas' must contain 0 (the unedited faces); got [${alphas.join(', ')}]`);
  const cos = cosineSimilarityMatrix(embeddings[ref]);
  let across = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) across += cos[i][j];
  // [α, n, ...] → row-major [n, α, ...] for the α-strip.
  const size = images[0].shape[1];
  const strip = tf.tidy(() => tf.reshape(tf.transpose(tf.stack(images), [1, 0, 2, 3, 4]), [n * alphas.length, size, size, -1]) as tf.Tensor4D);
  tf.dispose(images);
  return {
    alphas,
    aurCurve: attributeCurve(aur, alphas),
    judgeCurve: attributeCurve(judge, alphas),
    judgeScores: judge,
    drift: identityDrift(embeddings, ref),
    otherIdentityDistance: 1 - across / (n * (n - 1)),
    images: strip,
  };
}

export interface PoseGrid {
  /** Azimuths and elevations (degrees) of the views, per code. */
  views: { azimuth: number; elevation: number }[];
  hologan: PoseConsistency;
  /** The same score for real renders of the same people over the same yaw/pitch sweep: the embedding's ceiling. */
  renderer: PoseConsistency;
  /**
   * The pose regressor's yaw reading against the commanded yaw over the yaw sweep (all codes pooled):
   * Pearson r and mean absolute error in degrees, for HoloGAN and for the renders (the regressor's ceiling).
   */
  yaw: { hologan: PoseReading; renderer: PoseReading };
  /** The same for pitch against the commanded elevation over the elevation sweep (with elevation 0). */
  pitch: { hologan: PoseReading; renderer: PoseReading };
  /** [poseZ · views] images, row-major (all views of code 0 first). */
  images: tf.Tensor4D;
}

export interface PoseReading {
  pearson: number;
  meanAbsoluteErrorDegrees: number;
  /** Mean reading (degrees) per commanded angle, in sweep order. */
  meanPerAngle: number[];
  commanded: number[];
}

function poseReading(commanded: number[], read: number[][]): PoseReading {
  const x = read.flatMap(() => commanded);
  const y = read.flat();
  return {
    pearson: pearsonCorrelation(x, y),
    meanAbsoluteErrorDegrees: y.reduce((s, v, i) => s + Math.abs(v - x[i]), 0) / y.length,
    meanPerAngle: commanded.map((_, k) => read.reduce((s, r) => s + r[k], 0) / read.length),
    commanded,
  };
}

/**
 * HoloGAN pose-invariance grid: fixed z, yaw sweep at elevation 0 and elevation sweep at the frontal
 * azimuth — identity consistency by the embedding, and the commanded pose against what the pose
 * regressor reads, on HoloGAN and on renders of real people over the same poses.
 */
export function poseGrid(gan: TrainedGan, judges: Judges, c: SteeringConfig, seed: number, people: FaceSample[]): PoseGrid {
  const yaws = [-35, -23, -12, 0, 12, 23, 35];
  const elevs = [-15, -7, 7, 15];
  const views = [...yaws.map((y) => ({ azimuth: 270 + y, elevation: 0 })), ...elevs.map((e) => ({ azimuth: 270, elevation: e }))];
  const z = sampleLatents(c.poseZ, c.zDim, { distribution: 'uniform', seed });
  const deg = Math.PI / 180;
  const rows: tf.Tensor4D[] = [];
  for (let i = 0; i < c.poseZ; i++) {
    rows.push(
      tf.tidy(() => {
        const zi = tf.tile(tf.slice(z, [i, 0], [1, -1]), [views.length, 1]);
        const v = tf.tensor2d(views.map((p) => [p.azimuth * deg, p.elevation * deg, 1, 0, 0, 0]));
        return gan.generator.apply([zi, v], { training: false }) as tf.Tensor4D;
      }),
    );
  }
  z.dispose();
  const images = tf.concat(rows, 0) as tf.Tensor4D;
  tf.dispose(rows);
  const emb = predictBatched(judges.emb.model, images);
  const e = emb.arraySync() as number[][];
  emb.dispose();
  const groups = Array.from({ length: c.poseZ }, (_, i) => e.slice(i * views.length, (i + 1) * views.length));
  const yawViews = views.map((v, k) => (v.elevation === 0 ? k : -1)).filter((k) => k >= 0);
  const pitchViews = [yaws.indexOf(0), ...views.map((v, k) => (v.elevation !== 0 ? k : -1)).filter((k) => k >= 0)];
  const split = (r: { yaw: number[]; pitch: number[] }, rowsOf: number) => ({
    yaw: Array.from({ length: rowsOf }, (_, i) => yawViews.map((k) => r.yaw[i * views.length + k])),
    pitch: Array.from({ length: rowsOf }, (_, i) => pitchViews.map((k) => r.pitch[i * views.length + k])),
  });
  const ganPose = split(readPose(judges, images), c.poseZ);
  // Renderer ceiling: the same people (neutral) rendered over the same yaw / pitch sweep.
  const size = c.imageSize;
  const rendered: number[][][] = [];
  const renderedPose = { yaw: [] as number[][], pitch: [] as number[][] };
  for (const p of people.slice(0, c.poseZ)) {
    const px = new Float32Array(views.length * size * size * 3);
    views.forEach((v, k) => renderFace({ identity: p.identity, pose: { yaw: (v.azimuth - 270) * deg, pitch: v.elevation * deg, roll: 0 } }, { size, out: px, offset: k * size * size * 3 }));
    const t = tf.tensor4d(px, [views.length, size, size, 3]);
    const re = predictBatched(judges.emb.model, t);
    rendered.push(re.arraySync() as number[][]);
    const rp = split(readPose(judges, t), 1);
    renderedPose.yaw.push(rp.yaw[0]);
    renderedPose.pitch.push(rp.pitch[0]);
    tf.dispose([t, re]);
  }
  const commandedYaw = yawViews.map((k) => views[k].azimuth - 270);
  const commandedPitch = pitchViews.map((k) => views[k].elevation);
  return {
    views,
    hologan: poseConsistency(groups),
    renderer: poseConsistency(rendered),
    yaw: { hologan: poseReading(commandedYaw, ganPose.yaw), renderer: poseReading(commandedYaw, renderedPose.yaw) },
    pitch: { hologan: poseReading(commandedPitch, ganPose.pitch), renderer: poseReading(commandedPitch, renderedPose.pitch) },
    images,
  };
}

/**
 * What a perfect edit would score: the mean judge reading of the expression's AUs on renders of
 * `people` (frontal) with those AUs at 1, minus the reading on the same people neutral.
 */
export function judgeCeiling(judges: Judges, expression: keyof typeof EXPRESSIONS, people: FaceSample[], size: number): { neutral: number; full: number; gain: number } {
  const aus = EXPRESSIONS[expression];
  const read = (intensity: number): number => {
    const px = new Float32Array(people.length * size * size * 3);
    people.forEach((p, i) => renderFace({ identity: p.identity, aus: Object.fromEntries(aus.map((a) => [a, intensity])) }, { size, out: px, offset: i * size * size * 3 }));
    const t = tf.tensor4d(px, [people.length, size, size, 3]);
    const f = selectAus(judges.judge.model, aus);
    const m = tf.tidy(() => tf.mean(f(t)).dataSync()[0]);
    t.dispose();
    return m;
  };
  const neutral = read(0);
  const full = read(1);
  return { neutral, full, gain: full - neutral };
}

export interface SampleRealism {
  /** KID (judge-regressor GAP features) of each GAN's samples against real faces. */
  kid: Record<string, number>;
  /** KID of other real faces (the floor) and of real faces blurred to 4×4 (face layout and colours without any expression detail). */
  kidReal: number;
  kidBlurred: number;
  /** Per GAN: KID below half the blurred faces' KID — samples with more face detail than a 4×4 blur of a face. */
  faceLike: Record<string, boolean>;
}

/**
 * Are the GANs' samples faces at all? The walk metrics (AU regressors, identity embedding) are
 * only meaningful on face-like images: on blobs both AU regressors can be moved by patterns that
 * are not expressions. KID (src/metrics `kidFromActivations`) on the judge's pooled CNN features.
 */
export function sampleRealism(gans: TrainedGan[], judges: Judges, real: tf.Tensor4D, seed: number, n = 64): SampleRealism {
  const judge = judges.judge.model;
  const pool = judge.layers.find((l) => l.getClassName() === 'GlobalAveragePooling2D');
  if (!pool) throw new Error('sampleRealism: the judge regressor has no global average pooling layer');
  const features = tfl.model({ inputs: judge.inputs, outputs: pool.output as tfl.SymbolicTensor });
  const feats = (x: tf.Tensor4D): number[][] => {
    const f = predictBatched((v) => features.apply(v, { training: false }) as tf.Tensor, x);
    const a = f.arraySync() as number[][];
    f.dispose();
    return a;
  };
  const m = Math.min(n, Math.floor(real.shape[0] / 2));
  const realA = tf.slice(real, [0, 0, 0, 0], [m, -1, -1, -1]) as tf.Tensor4D;
  const realB = tf.slice(real, [m, 0, 0, 0], [m, -1, -1, -1]) as tf.Tensor4D;
  // Face layout and colours without the details: real faces average-pooled to 4×4 and scaled back up.
  const [, h, w] = realB.shape;
  const blurred = tf.tidy(() => tf.image.resizeBilinear(tf.avgPool(realB, [h / 4, w / 4], [h / 4, w / 4], 'valid'), [h, w]) as tf.Tensor4D);
  const fa = feats(realA);
  const opts = { subsets: 20, subsetSize: Math.min(32, m), seed };
  const kidReal = kidFromActivations(feats(realB), fa, opts).mean;
  const kidBlurred = kidFromActivations(feats(blurred), fa, opts).mean;
  const kid: Record<string, number> = {};
  const faceLike: Record<string, boolean> = {};
  for (const g of gans) {
    const z = sampleLatents(m, g.latentDim, { distribution: g.latentDistribution, seed: seed + 1 });
    const img = g.frozen(z);
    kid[g.name] = kidFromActivations(feats(img), fa, opts).mean;
    faceLike[g.name] = kid[g.name] < 0.5 * kidBlurred;
    tf.dispose([z, img]);
  }
  tf.dispose([realA, realB, blurred]);
  return { kid, kidReal, kidBlurred, faceLike };
}
