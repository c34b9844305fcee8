/**
 * Load a bundled checkpoint over http. gankit's checkpoints (`saveModel` in src/io) are standard
 * tfjs-layers artifacts — `model.json` with a `weightsManifest` pointing at `./weights.bin`, float16
 * weights marked with tfjs's own `quantization: { dtype: 'float16' }` — so `tf.loadLayersModel`
 * reads them from a URL as they are; only gankit's custom layers must be registered first.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { registerGankitLayers } from '../../src/layers/index.js';
import { DIRECTIONS_FILE, parseDirections, type DirectionsFile } from './directions_format.js';

function urlOf(dir: string, file: string): string {
  return new URL(`${dir.replace(/\/$/, '')}/${file}`, document.baseURI).href;
}

/** Load `<dir>/model.json`; the error names the checkpoint and says how to rebuild the site. */
export async function loadCheckpointModel(dir: string): Promise<tfl.LayersModel> {
  registerGankitLayers();
  const url = urlOf(dir, 'model.json');
  try {
    return await tfl.loadLayersModel(url);
  } catch (err) {
    throw new Error(`studio: cannot load the checkpoint ${url}: ${(err as Error).message} (run npm run studio:build to copy the checkpoints)`);
  }
}

/** Fetch and check `<dir>/directions.json` (written by `npm run studio:directions`). */
export async function loadDirections(dir: string): Promise<DirectionsFile> {
  const url = urlOf(dir, DIRECTIONS_FILE);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`studio: ${url} answered ${response.status}; run npm run studio:directions, then npm run studio:build`);
  return parseDirections(await response.json(), url);
}
