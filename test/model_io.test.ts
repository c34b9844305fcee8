import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readdirSync, writeFileSync, readFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { installFileRouter, loadModel, saveModel } from '../src/io/model_io.js';
import { expectClose, randomNormal } from './helpers/index.js';

/** A custom layer defined in the test, to prove custom classes round-trip. */
class ScaleShift extends tfl.layers.Layer {
  static className = 'GankitTestScaleShift';
  private scale: number;
  constructor(args: { scale: number; name?: string }) {
    super(args);
    this.scale = args.scale;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.add(tf.mul(x, this.scale), 1);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale };
  }
}
tf.serialization.registerClass(ScaleShift);

function buildModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [4] });
  const h = tfl.layers.dense({ units: 3, activation: 'tanh' }).apply(input) as tfl.SymbolicTensor;
  const out = new ScaleShift({ scale: 2.5 }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

describe('saveModel / loadModel', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gankit-io-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a model with a custom layer to identical outputs', async () => {
    const model = buildModel();
    const x = randomNormal([5, 4], 1);
    const before = model.predict(x) as tf.Tensor;
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    expect(readdirSync(target).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadModel(target);
    const after = loaded.predict(x) as tf.Tensor;
    expectClose(after, before, { rtol: 0, atol: 0 });
    tf.dispose([x, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('overwrites an existing model atomically and leaves no temporary directories', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    await saveModel(model, target);
    expect(readdirSync(dir)).toEqual(['m']);
    model.dispose();
  });

  it('refuses a manifest whose weight path escapes the model directory', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    const json = JSON.parse(readFileSync(path.join(target, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['../x'];
    writeFileSync(path.join(target, 'model.json'), JSON.stringify(json));
    await expect(loadModel(target)).rejects.toThrow(/weight path '..\/x'.*outside the model directory/);
    model.dispose();
  });

  it('reports a truncated weights file clearly', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    truncateSync(path.join(target, 'weights.bin'), 10);
    await expect(loadModel(target)).rejects.toThrow(/hold 10 bytes but model.json describes 60 bytes.*truncated/);
    model.dispose();
  });

  it('reports a missing weights file and a missing model.json', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    rmSync(path.join(target, 'weights.bin'));
    await expect(loadModel(target)).rejects.toThrow(/weights file '.\/weights.bin'.*cannot be read/);
    await expect(loadModel(path.join(dir, 'nothing'))).rejects.toThrow(/cannot read .*model.json/);
    model.dispose();
  });

  it('serves file:// URLs through tf.io routers when tfjs-node is absent', async () => {
    installFileRouter();
    const model = buildModel();
    const x = randomNormal([2, 4], 3);
    const target = path.join(dir, 'r');
    await model.save(`file://${target}`);
    const loaded = await tfl.loadLayersModel(`file://${target}/model.json`);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expectClose(b, a, { rtol: 0, atol: 0 });
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });
});
