/** Pictures: image grids, α-strips, heat-maps and line plots (rasters and SVG; files via `gankit/node`). */
export { imageGrid } from './image_grid.js';
export type { RgbaImage, ImageGridOptions } from './image_grid.js';
export { alphaStrip } from './alpha_strip.js';
export type { AlphaStripOptions } from './alpha_strip.js';
export { heatmap, heatmapSvg } from './heatmap.js';
export type { HeatmapOptions, MatrixInput } from './heatmap.js';
export { linePlot, linePlotSvg } from './line_plot.js';
export type { Series, LinePlotOptions } from './line_plot.js';
