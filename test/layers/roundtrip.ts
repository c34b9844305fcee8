/** Save/load round trip of a tfjs-layers model through gankit's Node model I/O (test support for test/layers). */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { saveModel, loadModel } from '../../src/io/model_io.js';

/**
 * Save `model` with saveModel into a temporary directory, load it with loadModel, and assert that
 * both predict bit-identical outputs on `inputs`. Returns the loaded model.
 */
export async function expectSaveLoadRoundTrip(model: tfl.LayersModel, inputs: tf.Tensor | tf.Tensor[]): Promise<tfl.LayersModel> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gankit-layers-'));
  try {
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const a = model.predict(inputs);
    const b = loaded.predict(inputs);
    const as = Array.isArray(a) ? a : [a];
    const bs = Array.isArray(b) ? b : [b];
    expect(bs.length).toBe(as.length);
    as.forEach((t, i) => {
      expect(bs[i].shape).toEqual(t.shape);
      expect(Array.from(bs[i].dataSync())).toEqual(Array.from(t.dataSync()));
    });
    tf.dispose([...as, ...bs]);
    return loaded;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
