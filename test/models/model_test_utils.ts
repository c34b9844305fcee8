import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadModel, saveModel } from '../../src/io/model_io.js';

/** Fixture tensor record {shape, data}. */
export interface FixtureTensor {
  shape: number[];
  data: number[];
}

export function fromFixture(t: FixtureTensor): tf.Tensor {
  return tf.tensor(t.data, t.shape);
}

/** Set weights of every weight-holding layer of `model`, in layer order, from fixture lists. */
export function setLayerWeights(model: tfl.LayersModel, lists: FixtureTensor[][]): void {
  const holders = model.layers.filter((l) => l.weights.length > 0);
  if (holders.length !== lists.length) throw new Error(`setLayerWeights: model has ${holders.length} weight-holding layers, fixture ${lists.length}`);
  holders.forEach((layer, i) => {
    const ws = lists[i].map(fromFixture);
    layer.setWeights(ws);
    tf.dispose(ws);
  });
}

/** Save with saveModel, load with loadModel (into a temp dir), return the loaded model. */
export async function roundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-models-'));
  try {
    await saveModel(model, path.join(dir, 'm'));
    return await loadModel(path.join(dir, 'm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
