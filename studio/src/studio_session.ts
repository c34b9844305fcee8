/**
 * One loaded model and its controls: the generator, its readout heads and its sliders, and
 * `render`, which turns the slider values into an image and the readouts. The latent-space
 * editing uses the library's own functions live: TL-GAN locks through `disentangleAxes`,
 * InterFaceGAN's "condition on" through `projectBoundary`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { disentangleAxes, projectBoundary, sampleLatents } from '../../src/latent/index.js';
import { ganimationCompose } from '../../src/models/index.js';
import { renderFace, sampleFaceParams } from '../../src/data/index.js';
import { AU_LABELS, EMOTION_LABELS, type StudioModelSpec } from './model_registry.js';
import { loadCheckpointModel, loadDirections } from './checkpoint_loader.js';
import type { DirectionsFile, LearnedDirection } from './directions_format.js';

export interface SliderSpec {
  id: string;
  label: string;
  /** The source method shown beside the label ('TL-GAN axis', 'HoloGAN view', …). */
  method: string;
  min: number;
  max: number;
  step: number;
  initial: number;
  /** Longer description (source function, seed, validation), shown as the slider's description. */
  detail: string;
  /** The learned direction behind the slider, if any. */
  direction?: LearnedDirection;
}

/** Controls that are not sliders: TL-GAN lock boxes, InterFaceGAN's "condition on", the conditional label. */
export interface ControlState {
  values: Record<string, number>;
  /** Ids of locked TL-GAN axes. */
  locked: Set<string>;
  /** Id of the InterFaceGAN boundary the others are projected off, or ''. */
  conditionOn: string;
  /** Conditional DCGAN: the emotion label. */
  label: number;
}

export interface Rendered {
  /** [h, w, 3] in [0, 1]. */
  image: tf.Tensor3D;
  /** One [k] tensor per readout head. */
  readouts: tf.Tensor1D[];
}

const HOLOGAN_FRONT_AZIMUTH = 270;
const DEG = Math.PI / 180;
/** Near-frontal faces for GANimation, as the 004 reproduction's aligned crops. */
const ALIGNED_POSE = { yaw: [-0.08, 0.08] as [number, number], pitch: [-0.05, 0.05] as [number, number], roll: [-0.05, 0.05] as [number, number] };

function describe(d: LearnedDirection): string {
  const v = d.validation ? `; ${d.validation.metric}: ${d.validation.value}` : '';
  return `${d.method} from ${d.source}; seed ${d.seed}, ${d.samples} samples${v}`;
}

export class StudioSession {
  readonly sliders: SliderSpec[];
  /** Seed of the current sample (z, or the rendered face for GANimation). */
  seed = 0;
  private z0: number[] = [];
  private face: tf.Tensor4D | null = null;
  private faceAus: number[] = [];
  /** Effective directions per slider id after locks / conditioning; rebuilt by {@link setControls}. */
  private effective = new Map<string, number[]>();
  private controlsKey = '';

  private constructor(
    readonly spec: StudioModelSpec,
    private readonly generator: tfl.LayersModel,
    private readonly heads: tfl.LayersModel[],
    readonly directions: DirectionsFile | null,
  ) {
    this.sliders = this.buildSliders();
  }

  static async load(spec: StudioModelSpec): Promise<StudioSession> {
    const [generator, heads, directions] = await Promise.all([
      loadCheckpointModel(spec.generator),
      Promise.all(spec.readouts.map((r) => loadCheckpointModel(r.path))),
      spec.hasDirections ? loadDirections(spec.generator) : Promise.resolve(null),
    ]);
    return new StudioSession(spec, generator, heads, directions);
  }

  /** TL-GAN axes (lock boxes), InterFaceGAN boundaries (condition-on choices). */
  directionsOf(group: LearnedDirection['group']): LearnedDirection[] {
    return (this.directions?.directions ?? []).filter((d) => d.group === group);
  }

  private buildSliders(): SliderSpec[] {
    if (this.spec.kind === 'hologan') {
      return [
        {
          id: 'view-yaw',
          label: 'yaw',
          method: 'HoloGAN view',
          min: -35,
          max: 35,
          step: 1,
          initial: 0,
          detail: 'azimuth − 270° fed to the rigid 3D transform (degrees), the range HoloGAN was trained on',
        },
        {
          id: 'view-elevation',
          label: 'elevation',
          method: 'HoloGAN view',
          min: -15,
          max: 15,
          step: 1,
          initial: 0,
          detail: 'elevation of the 3D transform (degrees), the range HoloGAN was trained on',
        },
      ];
    }
    if (this.spec.kind === 'ganimation') {
      return AU_LABELS.map((au) => ({
        id: `au-${au}`,
        label: au,
        method: 'GANimation AU',
        min: 0,
        max: 1,
        step: 0.01,
        initial: 0,
        detail: `target intensity of ${au} given to the GANimation generator`,
      }));
    }
    return (this.directions?.directions ?? []).map((d) => ({
      id: d.id,
      label: d.label,
      method: d.method,
      min: d.range[0],
      max: d.range[1],
      step: (d.range[1] - d.range[0]) / 100,
      initial: 0,
      detail: describe(d),
      direction: d,
    }));
  }

  /** Draw a new sample for `seed`: z for the GANs, a rendered synthetic face for GANimation. Returns the slider values it implies. */
  newSample(seed: number): Record<string, number> {
    if (!Number.isInteger(seed) || seed < 0) throw new Error(`studio: the seed must be a non-negative integer; got ${seed}`);
    this.seed = seed;
    if (this.spec.kind === 'ganimation') {
      const [sample] = sampleFaceParams(1, { seed, poseRanges: ALIGNED_POSE });
      const size = this.generator.inputs[0].shape[1] as number;
      const pixels = renderFace({ identity: sample.identity, pose: sample.pose, aus: sample.aus }, { size });
      this.face?.dispose();
      this.face = tf.tensor4d(pixels, [1, size, size, 3]);
      this.faceAus = Array.from(sample.aus);
      return Object.fromEntries(AU_LABELS.map((au, i) => [`au-${au}`, Math.round(this.faceAus[i] * 100) / 100]));
    }
    this.z0 = sampleLatents(1, this.spec.latentDim, { seed, distribution: this.spec.latentDistribution, output: 'array' })[0];
    return Object.fromEntries(this.sliders.map((s) => [s.id, s.initial]));
  }

  /** Recompute the effective directions when the locks or the condition changed. */
  private setControls(state: ControlState): void {
    const key = `${[...state.locked].sort().join(',')}|${state.conditionOn}`;
    if (key === this.controlsKey && this.effective.size > 0) return;
    this.controlsKey = key;
    this.effective.clear();
    for (const d of this.directions?.directions ?? []) this.effective.set(d.id, d.vector);
    const tl = this.directionsOf('tlgan');
    const lockedIdx = tl.map((d, i) => (state.locked.has(d.id) ? i : -1)).filter((i) => i >= 0);
    if (lockedIdx.length > 0) {
      // disentangleAxes works on columns [dim, k]: targets lose their components along the locked axes
      const axes = tl[0].vector.map((_, r) => tl.map((d) => d.vector[r]));
      const locked = disentangleAxes(axes, lockedIdx);
      tl.forEach((d, j) =>
        this.effective.set(
          d.id,
          locked.map((row) => row[j]),
        ),
      );
    }
    const condition = this.directionsOf('interfacegan').find((d) => d.id === state.conditionOn);
    if (condition) {
      for (const d of this.directionsOf('interfacegan')) {
        if (d.id !== condition.id) this.effective.set(d.id, projectBoundary(d.vector, condition.vector));
      }
    }
  }

  /** The latent after the learned-direction sliders: z0 + Σ α·d. */
  latent(state: ControlState): number[] {
    this.setControls(state);
    const z = this.z0.slice();
    for (const s of this.sliders) {
      const alpha = state.values[s.id] ?? 0;
      const d = s.direction ? this.effective.get(s.id) : undefined;
      if (!d || alpha === 0) continue;
      for (let i = 0; i < z.length; i++) z[i] += alpha * d[i];
    }
    return z;
  }

  /** Image and readouts for the controls (synchronous tfjs work; the caller disposes the result). */
  render(state: ControlState): Rendered {
    const z = this.spec.kind === 'ganimation' ? [] : this.latent(state);
    return tf.tidy(() => {
      let image: tf.Tensor4D;
      if (this.spec.kind === 'ganimation') {
        const aus = tf.tensor2d([AU_LABELS.map((au) => clamp01(state.values[`au-${au}`] ?? 0))]);
        image = ganimationCompose(this.generator, this.face!, aus).composed as tf.Tensor4D;
      } else {
        const zt = tf.tensor2d([z]);
        const inputs: tf.Tensor[] = [zt];
        if (this.spec.kind === 'conditional') inputs.push(tf.cast(tf.oneHot(tf.tensor1d([state.label], 'int32'), EMOTION_LABELS.length), 'float32'));
        if (this.spec.kind === 'hologan') {
          const yaw = state.values['view-yaw'] ?? 0;
          const elevation = state.values['view-elevation'] ?? 0;
          inputs.push(tf.tensor2d([[(HOLOGAN_FRONT_AZIMUTH + yaw) * DEG, elevation * DEG, 1, 0, 0, 0]]));
        }
        const out = this.generator.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false });
        image = (Array.isArray(out) ? out[0] : out) as tf.Tensor4D;
      }
      const readouts = this.readoutsOf(image);
      const rgb = image.shape[3] === 1 ? tf.tile(image, [1, 1, 1, 3]) : image;
      const shown = tf.clipByValue(tf.div(tf.add(tf.squeeze(rgb, [0]), 1), 2), 0, 1) as tf.Tensor3D;
      return { image: shown, readouts };
    });
  }

  /** The readout heads on `image` ([1, h, w, c] in [−1, 1]), resized to each head's input size (one [k] tensor per head). */
  readoutsOf(image: tf.Tensor4D): tf.Tensor1D[] {
    return tf.tidy(() =>
      this.heads.map((h) => {
        const [, hh, hw, hc] = h.inputs[0].shape as number[];
        let x: tf.Tensor4D = image.shape[1] === hh && image.shape[2] === hw ? image : tf.image.resizeBilinear(image, [hh, hw]);
        if (x.shape[3] !== hc) x = hc === 1 ? (tf.mean(x, 3, true) as tf.Tensor4D) : (tf.tile(x, [1, 1, 1, hc]) as tf.Tensor4D);
        return tf.squeeze(h.apply(x, { training: false }) as tf.Tensor, [0]) as tf.Tensor1D;
      }),
    );
  }

  dispose(): void {
    this.generator.dispose();
    for (const h of this.heads) h.dispose();
    this.face?.dispose();
    this.face = null;
  }
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
