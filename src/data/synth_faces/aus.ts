/**
 * Facial action units (FACS) rendered by the synthetic faces, and the seven FER2013 emotions
 * derived from them through EMFACS-style prototypes.
 *
 * Prototypes (Ekman, Friesen & Hager, FACS 2002 / EMFACS; the table on the FACS Wikipedia page):
 * happiness 6+12, sadness 1+4+15, surprise 1+2+5+26, fear 1+2+4+5+7+20+26, anger 4+5+7+23,
 * disgust 9+15(+16). AU16 is not rendered; disgust here is 9+15. Neutral is the zero vector.
 */

/** The action units the renderer draws, in the order of every AU vector in gankit. */
export const AU_NAMES = ['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU9', 'AU12', 'AU15', 'AU20', 'AU23', 'AU25', 'AU26'] as const;
export type AuName = (typeof AU_NAMES)[number];

/** FACS meaning of each rendered action unit and what moves in the picture. */
export const AU_DESCRIPTIONS: Record<AuName, string> = {
  AU1: 'inner brow raiser (inner ends of the brows go up)',
  AU2: 'outer brow raiser (outer ends of the brows go up)',
  AU4: 'brow lowerer (brows go down and together)',
  AU5: 'upper lid raiser (eyes open wide)',
  AU6: 'cheek raiser (cheeks rise and flush, lower lids push up)',
  AU7: 'lid tightener (eyes narrow)',
  AU9: 'nose wrinkler (wrinkles on the bridge, nostrils and upper lip rise)',
  AU12: 'lip corner puller (smile: corners up, mouth wider)',
  AU15: 'lip corner depressor (corners down)',
  AU20: 'lip stretcher (mouth stretched sideways)',
  AU23: 'lip tightener (lips thin and pressed, mouth narrower)',
  AU25: 'lips part',
  AU26: 'jaw drop (mouth opens wide, chin goes down)',
};

/** FER2013's seven emotions in its label order (0 angry … 6 neutral). */
export const EMOTIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** Index of an AU name in {@link AU_NAMES}; throws for an unknown name. */
export function auIndex(name: string): number {
  const i = (AU_NAMES as readonly string[]).indexOf(name);
  if (i < 0) throw new Error(`auIndex: unknown action unit '${name}'; expected one of ${AU_NAMES.join(', ')}`);
  return i;
}

const PROTOTYPE_AUS: Record<Emotion, AuName[]> = {
  angry: ['AU4', 'AU5', 'AU7', 'AU23'],
  disgust: ['AU9', 'AU15'],
  fear: ['AU1', 'AU2', 'AU4', 'AU5', 'AU7', 'AU20', 'AU26'],
  happy: ['AU6', 'AU12'],
  sad: ['AU1', 'AU4', 'AU15'],
  surprise: ['AU1', 'AU2', 'AU5', 'AU26'],
  neutral: [],
};

/** Intensity at which the prototypes sit when labels are derived (see {@link emotionFromAus}). */
export const PROTOTYPE_INTENSITY = 0.7;

/** The 0/1 prototype AU vector of an emotion (length {@link AU_NAMES}.length). */
export function emotionPrototype(emotion: Emotion): Float32Array {
  const aus = PROTOTYPE_AUS[emotion];
  if (aus === undefined) throw new Error(`emotionPrototype: unknown emotion '${emotion}'; expected one of ${EMOTIONS.join(', ')}`);
  const v = new Float32Array(AU_NAMES.length);
  for (const a of aus) v[auIndex(a)] = 1;
  return v;
}

const PROTOTYPES: Float32Array[] = EMOTIONS.map((e) => emotionPrototype(e));

function checkAus(where: string, aus: ArrayLike<number>): void {
  if (aus.length !== AU_NAMES.length) throw new Error(`${where}: 'aus' must have ${AU_NAMES.length} intensities (${AU_NAMES.join(', ')}); got ${aus.length}`);
}

/** Squared distances from an AU vector to each emotion prototype scaled to {@link PROTOTYPE_INTENSITY}. */
export function emotionDistances(aus: ArrayLike<number>): Float64Array {
  checkAus('emotionDistances', aus);
  const d = new Float64Array(EMOTIONS.length);
  for (let e = 0; e < EMOTIONS.length; e++) {
    let s = 0;
    for (let k = 0; k < AU_NAMES.length; k++) {
      const diff = aus[k] - PROTOTYPE_INTENSITY * PROTOTYPES[e][k];
      s += diff * diff;
    }
    d[e] = s;
  }
  return d;
}

/**
 * The emotion label of an AU vector: the nearest prototype (scaled to intensity 0.7; neutral is
 * the zero vector) in Euclidean distance. Returns the FER2013 index (0 angry … 6 neutral).
 */
export function emotionFromAus(aus: ArrayLike<number>): number {
  const d = emotionDistances(aus);
  let best = 0;
  for (let e = 1; e < d.length; e++) if (d[e] < d[best]) best = e;
  return best;
}

/**
 * Soft emotion scores: softmax(−distance² / temperature) over the seven prototypes — a
 * ground-truth "classifier probability" for probability-vs-α plots (TL-GAN style).
 */
export function emotionScores(aus: ArrayLike<number>, temperature = 0.1): Float32Array {
  if (!(temperature > 0)) throw new Error(`emotionScores: 'temperature' must be > 0; got ${temperature}`);
  const d = emotionDistances(aus);
  let m = Infinity;
  for (const v of d) m = Math.min(m, v);
  const out = new Float32Array(d.length);
  let z = 0;
  for (let e = 0; e < d.length; e++) {
    out[e] = Math.exp(-(d[e] - m) / temperature);
    z += out[e];
  }
  for (let e = 0; e < d.length; e++) out[e] /= z;
  return out;
}

/** An AU vector from a partial record (`{ AU12: 0.8 }`) or a full array; validates range [0, 1]. */
export function auVector(aus: ArrayLike<number> | Partial<Record<AuName, number>> | undefined, where = 'auVector'): Float32Array {
  const v = new Float32Array(AU_NAMES.length);
  if (aus === undefined) return v;
  if (typeof (aus as ArrayLike<number>).length === 'number') {
    const a = aus as ArrayLike<number>;
    checkAus(where, a);
    for (let k = 0; k < v.length; k++) v[k] = a[k];
  } else {
    for (const [name, value] of Object.entries(aus)) {
      const i = (AU_NAMES as readonly string[]).indexOf(name);
      if (i < 0) throw new Error(`${where}: unknown action unit '${name}'; expected one of ${AU_NAMES.join(', ')}`);
      v[i] = value as number;
    }
  }
  for (let k = 0; k < v.length; k++) {
    if (!(v[k] >= 0 && v[k] <= 1)) throw new Error(`${where}: intensity of ${AU_NAMES[k]} must be in [0, 1]; got ${v[k]}`);
  }
  return v;
}

/** The 17 intensity AUs of OpenFace 2 (`AU01_r` … `AU45_r`), GANimation's `cond_nc = 17` order. */
export const OPENFACE_AU_NAMES = ['AU1', 'AU2', 'AU4', 'AU5', 'AU6', 'AU7', 'AU9', 'AU10', 'AU12', 'AU14', 'AU15', 'AU17', 'AU20', 'AU23', 'AU25', 'AU26', 'AU45'] as const;

/**
 * Map AU vectors in {@link AU_NAMES} order ([n·13], row-major) to OpenFace's 17-AU order ([n·17]);
 * the AUs the renderer does not draw (AU10, AU14, AU17, AU45) are 0. For GANimation-style
 * conditioning on synthetic faces with the real datasets' layout.
 */
export function toOpenFaceAus(aus: ArrayLike<number>): Float32Array {
  const k = AU_NAMES.length;
  if (aus.length % k !== 0) throw new Error(`toOpenFaceAus: 'aus' length must be a multiple of ${k}; got ${aus.length}`);
  const n = aus.length / k;
  const map = AU_NAMES.map((a) => (OPENFACE_AU_NAMES as readonly string[]).indexOf(a));
  const out = new Float32Array(n * OPENFACE_AU_NAMES.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * OPENFACE_AU_NAMES.length + map[j]] = aus[i * k + j];
  return out;
}
