/**
 * gankit's Node-only surface: model and checkpoint files, dataset loaders and PNG files.
 * Everything else in gankit is backend-agnostic and runs in browsers too.
 */
export * from '../io/index.js';
export { encodePng, savePng, saveSvg, saveImageGrid, saveAlphaStrip, saveHeatmap, saveLinePlot } from '../viz/file/png_file.js';
export * from '../data/loaders/index.js';
export * from '../train/node/index.js';
