/** Custom tfjs-layers layers and functional ops (HoloGAN, GANimation, PGGAN, normalisations). */
export { registerGankitLayers, gankitLayerClassNames } from './register.js';
export { trilinearSample, type TrilinearBoundary } from './trilinear_sample.js';
export {
  rigidTransform3d,
  rigidSampleCoordinates,
  hologanRotationMatrix,
  RigidTransform3D,
  type RigidTransform3DArgs,
  type RigidTransform3DOptions,
} from './rigid_transform_3d.js';
export { sampleViews, HOLOGAN_CELEBA_VIEW_RANGES, type ViewRanges } from './view_sampling.js';
export { leakyReluTwice, type GankitActivation, type LayerArgs } from './common.js';
