/** Pictures: image grids, α-strips, heat-maps and line plots (rasters and SVG; files via `gankit/node`). */
export { imageGrid } from './image_grid.js';
export type { RgbaImage, ImageGridOptions } from './image_grid.js';
