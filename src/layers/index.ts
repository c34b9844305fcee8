/** Custom tfjs-layers layers and functional ops (HoloGAN, GANimation, PGGAN, normalisations). */
export { registerGankitLayers, gankitLayerClassNames } from './register.js';
