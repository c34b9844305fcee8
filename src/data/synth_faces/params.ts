import { Random } from '../../util/random.js';
import { AU_NAMES, EMOTIONS, auVector, emotionFromAus, emotionPrototype, type AuName, type Emotion } from './aus.js';

/** Hair styles the renderer draws. */
export const HAIR_STYLES = ['short', 'long', 'bun', 'bald'] as const;
export type HairStyle = (typeof HAIR_STYLES)[number];

/** sRGB 0..1 hair colours: black, dark brown, brown, blonde, red, grey, blue (cartoon). */
export const HAIR_COLORS: readonly (readonly [number, number, number])[] = [
  [0.1, 0.08, 0.07],
  [0.3, 0.18, 0.1],
  [0.52, 0.33, 0.17],
  [0.9, 0.76, 0.45],
  [0.72, 0.28, 0.12],
  [0.72, 0.72, 0.74],
  [0.22, 0.32, 0.72],
];

/** sRGB 0..1 skin palette from light to dark; `skinTone` ∈ [0, 1] interpolates along it. */
export const SKIN_PALETTE: readonly (readonly [number, number, number])[] = [
  [1.0, 0.87, 0.77],
  [0.96, 0.79, 0.66],
  [0.87, 0.67, 0.51],
  [0.73, 0.53, 0.37],
  [0.55, 0.38, 0.26],
  [0.38, 0.26, 0.18],
];

/** Iris colours: brown, blue, green. */
export const IRIS_COLORS: readonly (readonly [number, number, number])[] = [
  [0.36, 0.22, 0.1],
  [0.25, 0.45, 0.75],
  [0.3, 0.55, 0.3],
];

/** Everything that stays fixed for one person (the identity ground truth). */
export interface FaceIdentity {
  /** Head width factor (≈ 0.85..1.1). */
  faceWidth: number;
  /** Head height factor (≈ 0.92..1.1). */
  faceHeight: number;
  /** Jaw/chin width relative to the head (≈ 0.65..0.95): small = pointed chin, large = square. */
  jawWidth: number;
  /** Position along {@link SKIN_PALETTE}, 0 (light) .. 1 (dark). */
  skinTone: number;
  /** Index into {@link HAIR_COLORS}. */
  hairColor: number;
  hairStyle: HairStyle;
  /** Half distance between the eye centres in head units (≈ 0.26..0.40). */
  eyeSpacing: number;
  /** Eye size factor (≈ 0.85..1.15). */
  eyeSize: number;
  /** Mouth width factor (≈ 0.85..1.15). */
  mouthWidth: number;
  /** Nose size factor (≈ 0.8..1.2). */
  noseSize: number;
  /** Index into {@link IRIS_COLORS}. */
  irisColor: number;
  /** Background hue in [0, 1) (HSV, saturation 0.35). */
  backgroundHue: number;
  /** Wears glasses (CelebA's Eyeglasses). Default false. */
  glasses?: boolean;
}

/** Head pose in radians: yaw turns the nose to image right (+), pitch up (+), roll counter-clockwise (+). */
export interface FacePose {
  yaw: number;
  pitch: number;
  roll: number;
}

/** Everything {@link renderFace} needs: who, which expression, which pose. */
export interface FaceParams {
  identity: FaceIdentity;
  /** AU intensities in [0, 1]: a full vector in {@link AU_NAMES} order or a partial record. Default all 0. */
  aus?: ArrayLike<number> | Partial<Record<AuName, number>>;
  /** Default frontal (0, 0, 0). */
  pose?: Partial<FacePose>;
}

/** One sampled face with its ground truth. */
export interface FaceSample {
  identity: FaceIdentity;
  /** Index of the identity in the pool (or the sample index when every sample is a new person). */
  identityId: number;
  /** AU intensities in {@link AU_NAMES} order. */
  aus: Float32Array;
  /** The emotion the sampler aimed at. */
  targetEmotion: number;
  /** The emotion label derived from `aus` ({@link emotionFromAus}); FER2013 index. */
  emotion: number;
  pose: FacePose;
}

/** The identity every parameter at its middle value: a reference face for tests and figures. */
export function defaultIdentity(overrides: Partial<FaceIdentity> = {}): FaceIdentity {
  return {
    faceWidth: 1,
    faceHeight: 1,
    jawWidth: 0.8,
    skinTone: 0.25,
    hairColor: 1,
    hairStyle: 'short',
    eyeSpacing: 0.33,
    eyeSize: 1,
    mouthWidth: 1,
    noseSize: 1,
    irisColor: 0,
    backgroundHue: 0.58,
    ...overrides,
  };
}

/** Draw a random identity. */
export function sampleIdentity(rng: Random): FaceIdentity {
  const u = rng.next();
  const hairStyle: HairStyle = u < 0.4 ? 'short' : u < 0.7 ? 'long' : u < 0.85 ? 'bun' : 'bald';
  return {
    faceWidth: rng.uniform(0.86, 1.08),
    faceHeight: rng.uniform(0.93, 1.08),
    jawWidth: rng.uniform(0.66, 0.95),
    skinTone: rng.next(),
    hairColor: rng.int(0, HAIR_COLORS.length),
    hairStyle,
    eyeSpacing: rng.uniform(0.27, 0.38),
    eyeSize: rng.uniform(0.85, 1.15),
    mouthWidth: rng.uniform(0.85, 1.15),
    noseSize: rng.uniform(0.8, 1.2),
    irisColor: rng.int(0, IRIS_COLORS.length),
    backgroundHue: rng.next(),
    glasses: rng.next() < 0.2,
  };
}

export interface PoseRanges {
  /** Default [−0.5, 0.5] rad (±29°). */
  yaw?: [number, number];
  /** Default [−0.25, 0.25] rad. */
  pitch?: [number, number];
  /** Default [−0.2, 0.2] rad. */
  roll?: [number, number];
}

export interface SampleFaceOptions {
  seed?: number;
  /**
   * Identities: a number k draws a pool of k people (k = 1 is the single-character dataset of the
   * TL-GAN/FERG comparison); an array uses those people; omitted, every sample is a new person.
   */
  identities?: number | FaceIdentity[];
  /** Emotions to draw from (uniformly), by name or FER2013 index. Default all seven. */
  emotions?: (Emotion | number)[];
  poseRanges?: PoseRanges;
  /** Intensity range of the target emotion's prototype AUs. Default [0.5, 1]. */
  intensity?: [number, number];
  /** Largest intensity of the AUs outside the prototype (uniform noise). Default 0.15. */
  noise?: number;
  /**
   * Draw the AUs independently instead of by emotion: each AU is active with this probability, at
   * its own intensity U(intensity), and U(0, noise) otherwise. Emotion prototypes tie their AUs
   * together (AU6 and AU12 always move as one), so a model trained on them never sees one AU alone;
   * independent AUs are the decorrelated annotation GANimation's single-AU edits need. The
   * `targetEmotion` is then the derived emotion. Not combinable with `emotions`. Default: off.
   */
  activeAuProbability?: number;
}

function checkRange(where: string, name: string, r: [number, number] | undefined, def: [number, number]): [number, number] {
  if (r === undefined) return def;
  if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[0] > r[1]) {
    throw new Error(`${where}: '${name}' must be [low, high] with low ≤ high; got ${JSON.stringify(r)}`);
  }
  return r;
}

/**
 * Sample `n` faces with ground truth: identity (from a pool or fresh), a target emotion whose
 * prototype AUs get intensity U(intensity) plus U(0, noise) on the other AUs (or, with
 * `activeAuProbability`, independently drawn AUs), the derived emotion label, and a pose uniform in
 * `poseRanges`. Deterministic for a seed.
 */
export function sampleFaceParams(n: number, options: SampleFaceOptions = {}): FaceSample[] {
  const where = 'sampleFaceParams';
  if (!Number.isInteger(n) || n < 0) throw new Error(`${where}: 'n' must be a non-negative integer; got ${n}`);
  const { seed = 0, identities, noise = 0.15 } = options;
  const intensity = checkRange(where, 'intensity', options.intensity, [0.5, 1]);
  if (intensity[0] < 0 || intensity[1] > 1) throw new Error(`${where}: 'intensity' must lie in [0, 1]; got ${JSON.stringify(intensity)}`);
  if (!(noise >= 0 && noise <= 1)) throw new Error(`${where}: 'noise' must be in [0, 1]; got ${noise}`);
  const { activeAuProbability } = options;
  if (activeAuProbability !== undefined) {
    if (!(activeAuProbability >= 0 && activeAuProbability <= 1)) throw new Error(`${where}: 'activeAuProbability' must be in [0, 1]; got ${activeAuProbability}`);
    if (options.emotions !== undefined) throw new Error(`${where}: 'emotions' and 'activeAuProbability' exclude each other (independent AUs aim at no emotion)`);
  }
  const yaw = checkRange(where, 'poseRanges.yaw', options.poseRanges?.yaw, [-0.5, 0.5]);
  const pitch = checkRange(where, 'poseRanges.pitch', options.poseRanges?.pitch, [-0.25, 0.25]);
  const roll = checkRange(where, 'poseRanges.roll', options.poseRanges?.roll, [-0.2, 0.2]);
  const emotions = (options.emotions ?? [...EMOTIONS]).map((e) => {
    const i = typeof e === 'number' ? e : (EMOTIONS as readonly string[]).indexOf(e);
    if (!Number.isInteger(i) || i < 0 || i >= EMOTIONS.length) throw new Error(`${where}: unknown emotion ${JSON.stringify(e)}; expected one of ${EMOTIONS.join(', ')} or 0..6`);
    return i;
  });
  if (emotions.length === 0) throw new Error(`${where}: 'emotions' must not be empty`);
  const rng = new Random(seed);
  let pool: FaceIdentity[] | null = null;
  if (typeof identities === 'number') {
    if (!Number.isInteger(identities) || identities < 1) throw new Error(`${where}: 'identities' must be a positive integer or an array; got ${identities}`);
    const idRng = new Random(rng.seed());
    pool = Array.from({ length: identities }, () => sampleIdentity(idRng));
  } else if (Array.isArray(identities)) {
    if (identities.length === 0) throw new Error(`${where}: 'identities' array must not be empty`);
    pool = identities;
  }
  const prototypes = EMOTIONS.map((e) => emotionPrototype(e));
  const out: FaceSample[] = [];
  for (let i = 0; i < n; i++) {
    let identity: FaceIdentity;
    let identityId: number;
    if (pool) {
      identityId = rng.int(0, pool.length);
      identity = pool[identityId];
    } else {
      identityId = i;
      identity = sampleIdentity(rng);
    }
    const aus = new Float32Array(AU_NAMES.length);
    let target: number;
    if (activeAuProbability === undefined) {
      target = emotions[rng.int(0, emotions.length)];
      const t = rng.uniform(intensity[0], intensity[1]);
      for (let k = 0; k < aus.length; k++) aus[k] = prototypes[target][k] > 0 ? t : noise * rng.next();
    } else {
      for (let k = 0; k < aus.length; k++) aus[k] = rng.next() < activeAuProbability ? rng.uniform(intensity[0], intensity[1]) : noise * rng.next();
      target = emotionFromAus(aus);
    }
    const pose = { yaw: rng.uniform(yaw[0], yaw[1]), pitch: rng.uniform(pitch[0], pitch[1]), roll: rng.uniform(roll[0], roll[1]) };
    out.push({ identity, identityId, aus, targetEmotion: target, emotion: emotionFromAus(aus), pose });
  }
  return out;
}

const CONTINUOUS: [keyof FaceIdentity, number, number][] = [
  ['faceWidth', 0.86, 1.08],
  ['faceHeight', 0.93, 1.08],
  ['jawWidth', 0.66, 0.95],
  ['skinTone', 0, 1],
  ['eyeSpacing', 0.27, 0.38],
  ['eyeSize', 0.85, 1.15],
  ['mouthWidth', 0.85, 1.15],
  ['noseSize', 0.8, 1.2],
];

/** Names of the entries of {@link identityVector}. */
export const IDENTITY_FEATURES: readonly string[] = [
  ...CONTINUOUS.map(([k]) => k as string),
  ...HAIR_COLORS.map((_, i) => `hairColor=${i}`),
  ...HAIR_STYLES.map((s) => `hairStyle=${s}`),
  ...IRIS_COLORS.map((_, i) => `irisColor=${i}`),
  'backgroundHue.cos',
  'backgroundHue.sin',
  'glasses',
];

/**
 * A numeric identity descriptor — the ground truth for identity-preservation checks: continuous
 * parameters scaled to [0, 1] by their sampling ranges, one-hot hair colour, hair style and iris
 * colour, and the background hue on the unit circle (mapped to [0, 1]). Equal identities give equal
 * vectors; compare edits by Euclidean distance.
 */
export function identityVector(identity: FaceIdentity): Float32Array {
  const v = new Float32Array(IDENTITY_FEATURES.length);
  let k = 0;
  for (const [key, lo, hi] of CONTINUOUS) v[k++] = ((identity[key] as number) - lo) / (hi - lo);
  const hc = k;
  k += HAIR_COLORS.length;
  const hs = k;
  k += HAIR_STYLES.length;
  const ic = k;
  k += IRIS_COLORS.length;
  const style = HAIR_STYLES.indexOf(identity.hairStyle);
  if (!(identity.hairColor >= 0 && identity.hairColor < HAIR_COLORS.length) || style < 0 || !(identity.irisColor >= 0 && identity.irisColor < IRIS_COLORS.length)) {
    throw new Error(`identityVector: 'identity' has an unknown hair colour, hair style or iris colour (${identity.hairColor}, ${identity.hairStyle}, ${identity.irisColor})`);
  }
  v[hc + identity.hairColor] = 1;
  v[hs + style] = 1;
  v[ic + identity.irisColor] = 1;
  v[k++] = 0.5 + 0.5 * Math.cos(2 * Math.PI * identity.backgroundHue);
  v[k++] = 0.5 + 0.5 * Math.sin(2 * Math.PI * identity.backgroundHue);
  v[k] = identity.glasses ? 1 : 0;
  return v;
}

/** CelebA attribute names (list_attr_celeba.txt spelling) that {@link faceAttributes} derives. */
export const FACE_ATTRIBUTE_NAMES = ['Bald', 'Black_Hair', 'Blond_Hair', 'Brown_Hair', 'Gray_Hair', 'Eyeglasses', 'Pale_Skin', 'Big_Nose', 'Narrow_Eyes', 'Smiling', 'Mouth_Slightly_Open'] as const;

/**
 * CelebA-style ±1 attributes of a synthetic face, derived from its ground truth (so InterFaceGAN /
 * TL-GAN pipelines written for CelebA labels run on synthetic data): hair style/colour, glasses,
 * skin tone < 0.15 (Pale_Skin), nose size > 1.1 (Big_Nose), upper-lid opening < 0.6 of neutral
 * from AU4/5/6/7 (Narrow_Eyes), AU12 ≥ 0.5 (Smiling), AU25 ≥ 0.4 or AU26 ≥ 0.3 (Mouth_Slightly_Open).
 * Order: {@link FACE_ATTRIBUTE_NAMES}.
 */
export function faceAttributes(face: { identity: FaceIdentity; aus?: ArrayLike<number> | Partial<Record<AuName, number>> }): Float32Array {
  const id = face.identity;
  const au = auVector(face.aus, 'faceAttributes');
  const at = (n: AuName): number => au[AU_NAMES.indexOf(n)];
  const bald = id.hairStyle === 'bald';
  const opening = 1 + 0.75 * at('AU5') - 0.55 * at('AU7') - 0.3 * at('AU6') - 0.2 * at('AU4');
  const flags = [
    bald,
    !bald && id.hairColor === 0,
    !bald && id.hairColor === 3,
    !bald && (id.hairColor === 1 || id.hairColor === 2),
    !bald && id.hairColor === 5,
    id.glasses === true,
    id.skinTone < 0.15,
    id.noseSize > 1.1,
    opening < 0.6,
    at('AU12') >= 0.5,
    at('AU25') >= 0.4 || at('AU26') >= 0.3,
  ];
  return Float32Array.from(flags, (f) => (f ? 1 : -1));
}
