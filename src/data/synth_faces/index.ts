/** Embedded synthetic cartoon faces with identity, action-unit, emotion and pose ground truth. */
export {
  AU_NAMES,
  AU_DESCRIPTIONS,
  EMOTIONS,
  OPENFACE_AU_NAMES,
  PROTOTYPE_INTENSITY,
  auIndex,
  auVector,
  emotionPrototype,
  emotionDistances,
  emotionFromAus,
  emotionScores,
  toOpenFaceAus,
} from './aus.js';
export type { AuName, Emotion } from './aus.js';
export {
  HAIR_STYLES,
  HAIR_COLORS,
  SKIN_PALETTE,
  IRIS_COLORS,
  IDENTITY_FEATURES,
  FACE_ATTRIBUTE_NAMES,
  defaultIdentity,
  sampleIdentity,
  sampleFaceParams,
  identityVector,
  faceAttributes,
} from './params.js';
export type { HairStyle, FaceIdentity, FacePose, FaceParams, FaceSample, PoseRanges, SampleFaceOptions } from './params.js';
export { renderFace, faceImageShape } from './render.js';
export type { FaceMode, RenderFaceOptions } from './render.js';
export { auRegionMask, auRegionMasks } from './masks.js';
export type { AuRegionOptions } from './masks.js';
export { synthFaceDataset } from './dataset.js';
export type { SynthFaceDataset, SynthFaceDatasetOptions } from './dataset.js';
