/** An 8-bit RGBA raster (row-major, 4 bytes per pixel) — what PNG encoders take. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}
