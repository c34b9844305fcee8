/**
 * The cached directions file, `checkpoints/<example>/<model>/directions.json`: written in Node by
 * `scripts/studio/directions.ts`, read by the page. Shared by both sides so that they agree on it.
 */

/** Bumped when the layout changes; the page refuses a file of another version (rerun `npm run studio:directions`). */
export const DIRECTIONS_VERSION = 1;
export const DIRECTIONS_FILE = 'directions.json';

/** Which slider group a direction belongs to; the page treats each group differently (locks, conditioning). */
export type DirectionGroup = 'tlgan' | 'interfacegan' | 'pca' | 'walk' | 'arithmetic';

export interface LearnedDirection {
  /** Stable id, e.g. 'tlgan-smile' (the slider's element id derives from it). */
  id: string;
  /** What the direction changes, e.g. 'smile'. */
  label: string;
  /** The source method, shown on the slider: 'TL-GAN axis', 'InterFaceGAN boundary', 'GANSpace PCA', 'steerability walk', 'VAE latent arithmetic'. */
  method: string;
  /** The library function(s) that computed it. */
  source: string;
  group: DirectionGroup;
  /** The direction in z, [latentDim]. TL-GAN axes and boundaries are unit length; walks and attribute vectors keep their own length. */
  vector: number[];
  seed: number;
  /** How many samples (latents, or walk steps × batch) it was computed from. */
  samples: number;
  /** For classifier-derived directions: a held-out check of how well it predicts the classifier. */
  validation?: { metric: string; value: number };
  /** Slider range of α. */
  range: [number, number];
}

export interface DirectionsFile {
  version: number;
  /** '<example>/<model>'. */
  model: string;
  latentDim: number;
  computedBy: string;
  backend: string;
  seconds: number;
  notes: string[];
  directions: LearnedDirection[];
}

/** Parse and check a directions file; a clear error names the model and what is wrong. */
export function parseDirections(json: unknown, where: string): DirectionsFile {
  const file = json as DirectionsFile;
  if (file == null || typeof file !== 'object') throw new Error(`${where}: not a directions file (expected a JSON object)`);
  if (file.version !== DIRECTIONS_VERSION) throw new Error(`${where}: directions version ${String(file.version)}, expected ${DIRECTIONS_VERSION}; rerun npm run studio:directions`);
  if (!Array.isArray(file.directions)) throw new Error(`${where}: 'directions' must be an array`);
  for (const d of file.directions) {
    if (!Array.isArray(d.vector) || d.vector.length !== file.latentDim) {
      throw new Error(`${where}: direction '${d.id}' has ${Array.isArray(d.vector) ? d.vector.length : 'no'} components; the latent has ${file.latentDim}`);
    }
  }
  return file;
}
