import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readdirSync, writeFileSync, readFileSync, truncateSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { float32ToFloat16Bits, installFileRouter, loadModel, saveModel } from '../src/io/model_io.js';
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

  it('saves float16 weights in half the bytes that load back within float16 rounding', async () => {
    const model = buildModel();
    const x = randomNormal([5, 4], 2);
    const before = model.predict(x) as tf.Tensor;
    await saveModel(model, path.join(dir, 'f32'));
    await saveModel(model, path.join(dir, 'f16'), { float16: true });
    const bytes32 = readFileSync(path.join(dir, 'f32', 'weights.bin')).byteLength;
    const bytes16 = readFileSync(path.join(dir, 'f16', 'weights.bin')).byteLength;
    expect(bytes16 * 2).toBe(bytes32);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'f16', 'model.json'), 'utf8')).weightsManifest[0].weights;
    for (const w of manifest) expect(w.quantization).toEqual({ dtype: 'float16' });
    const loaded = await loadModel(path.join(dir, 'f16'));
    for (const [i, w] of loaded.getWeights().entries()) {
      expect(w.dtype).toBe('float32');
      expectClose(w, model.getWeights()[i], { rtol: 2 ** -11, atol: 2 ** -24 });
    }
    const after = loaded.predict(x) as tf.Tensor;
    expectClose(after, before, { rtol: 1e-2, atol: 1e-2 });
    tf.dispose([x, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('refuses float16 for a weight beyond ±65504, naming it', async () => {
    const model = buildModel();
    const w = model.layers[1].getWeights();
    model.layers[1].setWeights([tf.fill(w[0].shape, 1e5), w[1]]);
    await expect(saveModel(model, path.join(dir, 'big'), { float16: true })).rejects.toThrow(/weight '.*kernel.*' holds 100000, outside float16's range/);
    model.dispose();
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

  it('refuses an absolute weight path, even one pointing at a real weights file', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    const json = JSON.parse(readFileSync(path.join(target, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = [path.join(target, 'weights.bin')];
    writeFileSync(path.join(target, 'model.json'), JSON.stringify(json));
    await expect(loadModel(target)).rejects.toThrow(/weight path '.*weights\.bin' in .*model\.json is absolute; weight paths must be relative/);
    model.dispose();
  });

  it('refuses a weights file that is a symlink pointing outside the model directory', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    const outside = path.join(dir, 'elsewhere.bin');
    writeFileSync(outside, readFileSync(path.join(target, 'weights.bin')));
    rmSync(path.join(target, 'weights.bin'));
    symlinkSync(outside, path.join(target, 'weights.bin'));
    await expect(loadModel(target)).rejects.toThrow(/weight path '\.\/weights\.bin' .* is a symlink to .*elsewhere\.bin, outside the model directory/);
    model.dispose();
  });

  it('refuses a weight path through a symlinked folder that leads outside, but follows symlinks that stay inside', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    const json = JSON.parse(readFileSync(path.join(target, 'model.json'), 'utf8'));
    mkdirSync(path.join(dir, 'out'));
    writeFileSync(path.join(dir, 'out', 'weights.bin'), readFileSync(path.join(target, 'weights.bin')));
    symlinkSync(path.join(dir, 'out'), path.join(target, 'shards'));
    json.weightsManifest[0].paths = ['shards/weights.bin'];
    writeFileSync(path.join(target, 'model.json'), JSON.stringify(json));
    await expect(loadModel(target)).rejects.toThrow(/'shards\/weights\.bin' .* is a symlink to .*out.weights\.bin, outside the model directory/);
    // a symlink whose target stays inside the folder is fine
    symlinkSync('weights.bin', path.join(target, 'alias.bin'));
    json.weightsManifest[0].paths = ['alias.bin'];
    writeFileSync(path.join(target, 'model.json'), JSON.stringify(json));
    (await loadModel(target)).dispose();
    model.dispose();
  });

  it('loads a model directory that is itself a symlink (the check uses real paths on both sides)', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    symlinkSync(target, path.join(dir, 'link'));
    (await loadModel(path.join(dir, 'link'))).dispose();
    model.dispose();
  });

  it('reports corrupt weights of the right length (SHA-256 mismatch) and a truncated model.json, naming the file', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    const bin = readFileSync(path.join(target, 'weights.bin'));
    bin[3] ^= 0xff;
    writeFileSync(path.join(target, 'weights.bin'), bin);
    await expect(loadModel(target)).rejects.toThrow(
      /weights in .* \(60 bytes\) do not match the SHA-256 recorded in model\.json \(expected [0-9a-f]{64}, got [0-9a-f]{64}\); the weights file is corrupt/,
    );
    const text = readFileSync(path.join(target, 'model.json'), 'utf8');
    writeFileSync(path.join(target, 'model.json'), text.slice(0, 40));
    await expect(loadModel(target)).rejects.toThrow(/model\.json is not valid JSON \(40 characters; truncated or corrupt\)/);
    model.dispose();
  });

  it('reports a truncated weights file clearly', async () => {
    const model = buildModel();
    const target = path.join(dir, 'm');
    await saveModel(model, target);
    truncateSync(path.join(target, 'weights.bin'), 10);
    await expect(loadModel(target)).rejects.toThrow(/weights\.bin holds 10 bytes but model.json describes 60 bytes.*truncated/);
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

describe('float32ToFloat16Bits', () => {
  it('matches IEEE 754 binary16 with round-to-nearest-even (closed-form values)', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.1, 0x2e66],
      [65504, 0x7bff],
      [65520, 0x7c00], // halfway to the next binade rounds to even: Inf
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -26, 0x0000], // underflow
      [1 + 2 ** -11, 0x3c00], // tie → even
      [1 + 3 * 2 ** -11, 0x3c02], // tie → even (up)
      [Infinity, 0x7c00],
      [-Infinity, 0xfc00],
    ];
    for (const [v, bits] of cases) expect(float32ToFloat16Bits(v), String(v)).toBe(bits);
    expect(float32ToFloat16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(float32ToFloat16Bits(NaN) & 0x3ff).not.toBe(0);
  });
});
