/**
 * The models the studio offers: the bundled checkpoints of the reproductions, each with the head
 * that reads its images (the live bars) and the kind of controls it takes. Paths are relative to
 * the site root, where `npm run studio:build` copies `checkpoints/`.
 */

/**
 * How the page drives a generator:
 * - 'latent': z → image; sliders add learned directions to z.
 * - 'conditional': (z, one-hot label) → image; a "condition on" choice picks the label.
 * - 'hologan': (z, view) → image; yaw and elevation sliders set the view.
 * - 'ganimation': (face, AUs) → (colour, attention); AU sliders set the target intensities of a rendered face.
 */
export type ModelKind = 'latent' | 'conditional' | 'hologan' | 'ganimation';

export interface ReadoutSpec {
  /** Checkpoint directory of the classifier / regressor under the site root. */
  path: string;
  /** What the bars show: 'emotion probabilities', 'AU intensities', … */
  title: string;
  labels: readonly string[];
  /** Which outputs to show (default all). */
  show?: number[];
  /** Optional text of a bar's value (default two decimals). */
  format?: (value: number, index: number) => string;
}

export interface StudioModelSpec {
  /** '<example>/<model>' (also the `?model=` value). */
  id: string;
  title: string;
  kind: ModelKind;
  /** Checkpoint directory of the generator under the site root. */
  generator: string;
  latentDim: number;
  latentDistribution: 'normal' | 'uniform';
  /** Image channels the generator writes (1: grey). */
  channels: 1 | 3;
  readouts: ReadoutSpec[];
  /** Whether `directions.json` sits next to the generator. */
  hasDirections: boolean;
  /** Why a model is listed but cannot be picked (e.g. no checkpoint bundled). */
  unavailable?: string;
}

export const EMOTION_LABELS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export const AU_LABELS = ['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU9', 'AU12', 'AU15', 'AU20', 'AU23', 'AU25', 'AU26'] as const;
/** The 001 attribute regressor's outputs (examples/001-expression-synthesis/data.ts `ATTRIBUTES`). */
export const ATTRIBUTE_LABELS = ['smile', 'mouthOpen', 'blond', 'yaw', 'skinTone', 'backgroundCos', 'backgroundSin'] as const;
/** The 000 pose regressor maps yaw and pitch from ±0.6 / ±0.25 rad to [0, 1] (examples/000-steering-hologan/pipeline.ts `POSE_RANGES`). */
const POSE_RANGES_DEG = [0.6 * (180 / Math.PI), 0.25 * (180 / Math.PI)];

export const MODELS: readonly StudioModelSpec[] = [
  {
    id: '001-expression-synthesis/dcgan-generator',
    title: 'DCGAN faces (001: TL-GAN, InterFaceGAN, GANSpace)',
    kind: 'latent',
    generator: 'checkpoints/001-expression-synthesis/dcgan-generator',
    latentDim: 64,
    latentDistribution: 'normal',
    channels: 3,
    readouts: [{ path: 'checkpoints/001-expression-synthesis/attribute-regressor', title: 'attribute scores', labels: ATTRIBUTE_LABELS }],
    hasDirections: true,
  },
  {
    id: '002-cheermeup/uni-modal-generator',
    title: 'DCGAN faces (002: TL-GAN emotion axes)',
    kind: 'latent',
    generator: 'checkpoints/002-cheermeup/uni-modal-generator',
    latentDim: 100,
    latentDistribution: 'normal',
    channels: 3,
    readouts: [{ path: 'checkpoints/002-cheermeup/emotion-classifier', title: 'emotion probabilities', labels: EMOTION_LABELS }],
    hasDirections: true,
  },
  {
    id: '000-steering-hologan/dcgan-generator',
    title: 'DCGAN faces (000: steerability walk)',
    kind: 'latent',
    generator: 'checkpoints/000-steering-hologan/dcgan-generator',
    latentDim: 64,
    latentDistribution: 'normal',
    channels: 3,
    readouts: [{ path: 'checkpoints/000-steering-hologan/judge-au-regressor', title: 'AU intensities (independent judge)', labels: AU_LABELS }],
    hasDirections: true,
  },
  {
    id: '003-emotion-generation/conditional-generator',
    title: 'conditional DCGAN (003: emotion label, GANSpace)',
    kind: 'conditional',
    generator: 'checkpoints/003-emotion-generation/conditional-generator',
    latentDim: 100,
    latentDistribution: 'normal',
    channels: 1,
    readouts: [{ path: 'checkpoints/003-emotion-generation/emotion-classifier', title: 'emotion probabilities', labels: EMOTION_LABELS }],
    hasDirections: true,
  },
  {
    id: '000-steering-hologan/hologan-generator',
    title: 'HoloGAN (000: yaw / elevation)',
    kind: 'hologan',
    generator: 'checkpoints/000-steering-hologan/hologan-generator',
    latentDim: 64,
    latentDistribution: 'uniform',
    channels: 3,
    readouts: [
      {
        path: 'checkpoints/000-steering-hologan/pose-regressor',
        title: 'pose (regressor)',
        labels: ['yaw', 'pitch'],
        format: (v, i) => `${((v * 2 - 1) * POSE_RANGES_DEG[i]).toFixed(0)}°`,
      },
      { path: 'checkpoints/000-steering-hologan/au-regressor', title: 'AU intensities', labels: AU_LABELS },
    ],
    hasDirections: false,
  },
  {
    id: '004-ganimation/ganimation-generator',
    title: 'GANimation (004: AU intensities)',
    kind: 'ganimation',
    generator: 'checkpoints/004-ganimation/ganimation-generator',
    latentDim: 0,
    latentDistribution: 'normal',
    channels: 3,
    readouts: [{ path: 'checkpoints/004-ganimation/au-regressor', title: 'AU intensities', labels: AU_LABELS }],
    hasDirections: false,
  },
  {
    id: '001-expression-synthesis/dfc-vae-decoder',
    title: 'DFC-VAE (001: latent arithmetic)',
    kind: 'latent',
    generator: 'checkpoints/001-expression-synthesis/dfc-vae-decoder',
    latentDim: 32,
    latentDistribution: 'normal',
    channels: 3,
    readouts: [{ path: 'checkpoints/001-expression-synthesis/attribute-regressor', title: 'attribute scores', labels: ATTRIBUTE_LABELS }],
    hasDirections: true,
  },
];

/** The model with `id`; a clear error lists the ids when there is none. */
export function findModel(id: string): StudioModelSpec {
  const spec = MODELS.find((m) => m.id === id);
  if (!spec) throw new Error(`studio: no model '${id}'; known: ${MODELS.map((m) => m.id).join(', ')}`);
  if (spec.unavailable) throw new Error(`studio: model '${id}' is unavailable: ${spec.unavailable}`);
  return spec;
}

export const DEFAULT_MODEL = MODELS[0].id;
