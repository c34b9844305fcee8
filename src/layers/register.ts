import * as tf from '@tensorflow/tfjs-core';
import { RigidTransform3D } from './rigid_transform_3d.js';
import { GlowLayer } from './glow/glow_layer.js';
import { L2Normalize } from './l2_normalize.js';
import { Downscale2D, Upscale2D } from './resample_2d.js';
import { ChannelBias } from './channel_bias.js';
import { FadeIn } from './fade_in.js';
import { InstanceMoments } from './instance_moments.js';
import { LearnedConstant } from './learned_constant.js';
import { ProjectionUnit } from './projection_unit.js';
import { AdaIN } from './adain.js';
import { StyleMapping } from './style_mapping.js';
import { InstanceNorm } from './instance_norm.js';
import { AttentionColorHead } from './attention_color_head.js';
import { PatchGANDownsample, PatchGANHeads } from './patchgan.js';
import { PixelNorm } from './pixel_norm.js';
import { MinibatchStdDev } from './minibatch_stddev.js';
import { EqualizedConv2D, EqualizedDense } from './equalized.js';
import { SpectralNormConv2D, SpectralNormDense } from './spectral_norm.js';
import { ConditionTile } from './condition_tile.js';
import { ClassConditionalAffine } from './class_conditional_affine.js';

/**
 * Every custom layer class gankit ships, listed statically so that `registerGankitLayers()`
 * (called by `setupBackend` and `loadModel`) makes each one deserialisable. Registration is
 * explicit, not a module side effect, because bundlers may drop or reorder side effects.
 *
 * When you add a layer class (in src/layers), import it here and list it.
 */
type SerializableClass = tf.serialization.SerializableConstructor<tf.serialization.Serializable>;

function layerClasses(): SerializableClass[] {
  return [
    RigidTransform3D,
    ClassConditionalAffine,
    ProjectionUnit,
    AdaIN,
    StyleMapping,
    InstanceNorm,
    AttentionColorHead,
    PatchGANDownsample,
    PatchGANHeads,
    PixelNorm,
    MinibatchStdDev,
    EqualizedDense,
    EqualizedConv2D,
    SpectralNormDense,
    SpectralNormConv2D,
    ConditionTile,
    GlowLayer,
    L2Normalize,
    Upscale2D,
    Downscale2D,
    ChannelBias,
    FadeIn,
    LearnedConstant,
    InstanceMoments,
  ];
}

let registered = false;

/** Register every gankit layer class with tfjs serialization. Idempotent. */
export function registerGankitLayers(): void {
  if (registered) return;
  for (const c of layerClasses()) tf.serialization.registerClass(c);
  registered = true;
}

/** The class names gankit registers (for diagnostics and tests). */
export function gankitLayerClassNames(): string[] {
  return layerClasses().map((c) => (c as unknown as { className: string }).className);
}
