import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readDirectoryAtomic, writeDirectoryAtomic } from './atomic.js';
import { registerGankitLayers } from '../layers/register.js';

/** File names inside a saved-model directory (the layout `tfjs-node`'s `file://` handler uses). */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

export interface SaveModelOptions {
  /**
   * Store float32 weights as IEEE float16 (half the bytes), marked in the manifest with tfjs's
   * standard `quantization: { dtype: 'float16' }`, so any tfjs loader restores float32 weights.
   * Values round to 11 significant bits (relative error ≤ 2⁻¹¹); beyond ±65504 they become ±Infinity,
   * which is refused. Default false.
   */
  float16?: boolean;
}

/**
 * Save a tfjs-layers model to `dir` as `model.json` + `weights.bin` without tfjs-node.
 * The directory is written atomically: a crash leaves either the old model or the new one.
 */
export async function saveModel(model: tfl.LayersModel, dir: string, options: SaveModelOptions = {}): Promise<tf.io.SaveResult> {
  if (typeof dir !== 'string' || dir.length === 0) throw new Error(`saveModel: 'dir' must be a non-empty path; got ${String(dir)}`);
  return model.save(tf.io.withSaveHandler((artifacts) => writeArtifacts(artifacts, dir, options)));
}

/** Write model artifacts (as given to a tfjs save handler) into `dir`, atomically. */
export async function writeArtifacts(artifacts: tf.io.ModelArtifacts, dir: string, options: SaveModelOptions = {}): Promise<tf.io.SaveResult> {
  let weightData = artifacts.weightData ? concatWeightData(artifacts.weightData) : new Uint8Array(0);
  let weightSpecs = artifacts.weightSpecs ?? [];
  if (options.float16) ({ weightData, weightSpecs } = toFloat16(weightData, weightSpecs));
  const modelJson: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: weightSpecs }],
    // gankit's integrity record (tfjs loaders ignore unknown keys): catches a corrupt weights.bin of the right length
    gankit: { weightsBytes: weightData.byteLength, weightsSha256: sha256(weightData) },
  };
  if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  await writeDirectoryAtomic(dir, async (tmp) => {
    await fs.writeFile(path.join(tmp, WEIGHTS_BIN), weightData);
    await fs.writeFile(path.join(tmp, MODEL_JSON), JSON.stringify(modelJson));
  });
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      weightDataBytes: weightData.byteLength,
    },
  };
}

/**
 * Read `model.json` + weight files from `dir` into in-memory artifacts, validating that every
 * weight path stays inside `dir` (no `../`, no absolute path, no symlink that leads out) and that
 * the weight bytes match the manifest (length, and the SHA-256 that {@link saveModel} records).
 * A directory whose save was killed half-way is read from its previous version (see
 * `resolveAtomicPath` in src/io/atomic.ts).
 */
export async function readArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  if (typeof dir !== 'string' || dir.length === 0) throw new Error(`loadModel: 'dir' must be a non-empty path; got ${String(dir)}`);
  return readDirectoryAtomic(dir, readArtifactsFrom, { manifest: MODEL_JSON });
}

async function readArtifactsFrom(root: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = path.join(root, MODEL_JSON);
  let text: string;
  try {
    text = await fs.readFile(jsonPath, 'utf8');
  } catch (err) {
    throw new Error(`loadModel: cannot read ${jsonPath}: ${(err as Error).message}`);
  }
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`loadModel: ${jsonPath} is not valid JSON (${text.length} characters; truncated or corrupt): ${(err as Error).message}`);
  }
  if (json == null || typeof json !== 'object' || json.modelTopology == null) {
    throw new Error(`loadModel: ${jsonPath} has no 'modelTopology'`);
  }
  const manifest: tf.io.WeightsManifestConfig = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new Error(`loadModel: 'weightsManifest' in ${jsonPath} must be an array; got ${typeof manifest}`);
  const realRoot = await fs.realpath(root);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of manifest) {
    weightSpecs.push(...group.weights);
    const groupBuffers: Uint8Array[] = [];
    for (const p of group.paths) {
      const file = await insideModelDir(root, realRoot, p, jsonPath);
      try {
        groupBuffers.push(new Uint8Array(await fs.readFile(file)));
      } catch (err) {
        throw new Error(`loadModel: weights file '${p}' listed in ${jsonPath} cannot be read: ${(err as Error).message}`);
      }
    }
    const expected = group.weights.reduce((sum, s) => sum + weightByteLength(s), 0);
    const actual = groupBuffers.reduce((sum, b) => sum + b.byteLength, 0);
    if (actual !== expected) {
      const files = group.paths.map((p) => path.join(root, p)).join(', ');
      throw new Error(
        `loadModel: ${files} holds ${actual} bytes but ${MODEL_JSON} describes ${expected} bytes (${group.weights.length} tensors); the weights file is truncated or does not belong to this model`,
      );
    }
    buffers.push(...groupBuffers);
  }
  const weightData = concatWeightData(buffers);
  const record = json.gankit;
  if (record?.weightsSha256 != null && sha256(weightData) !== record.weightsSha256) {
    throw new Error(
      `loadModel: the weights in ${root} (${weightData.byteLength} bytes) do not match the SHA-256 recorded in ${MODEL_JSON} (expected ${record.weightsSha256}, got ${sha256(weightData)}); the weights file is corrupt`,
    );
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs,
    weightData: weightData.buffer.byteLength === weightData.byteLength ? (weightData.buffer as ArrayBuffer) : (weightData.slice().buffer as ArrayBuffer),
  };
}

/**
 * The file a manifest weight path names, refused unless it stays inside the model directory:
 * absolute paths, `../` escapes and symlinks whose real target lies outside are all errors.
 */
async function insideModelDir(root: string, realRoot: string, p: unknown, jsonPath: string): Promise<string> {
  if (typeof p !== 'string' || p.length === 0) throw new Error(`loadModel: weight path in ${jsonPath} must be a non-empty string; got ${JSON.stringify(p)}`);
  if (path.isAbsolute(p) || path.win32.isAbsolute(p)) {
    throw new Error(`loadModel: weight path '${p}' in ${jsonPath} is absolute; weight paths must be relative to the model directory ${root}; refusing to read it`);
  }
  const file = path.resolve(root, p);
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`loadModel: weight path '${p}' in ${jsonPath} resolves outside the model directory ${root}; refusing to read it`);
  }
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch {
    return file; // missing: the read reports it
  }
  const realRel = path.relative(realRoot, real);
  if (realRel.startsWith('..') || path.isAbsolute(realRel)) {
    throw new Error(`loadModel: weight path '${p}' in ${jsonPath} is a symlink to ${real}, outside the model directory ${realRoot}; refusing to read it`);
  }
  return file;
}

/** Hex SHA-256 of a byte array. */
export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Load a model saved by {@link saveModel} (or tfjs-node's `file://` handler). Registers gankit's layers first. */
export async function loadModel(dir: string): Promise<tfl.LayersModel> {
  registerGankitLayers();
  const artifacts = await readArtifacts(dir);
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}

let routerInstalled = false;

/**
 * Register `file://` save/load routers so `model.save('file://dir')` and
 * `tf.loadLayersModel('file://dir/model.json')` work without tfjs-node. Does nothing when a
 * `file://` handler already exists (tfjs-node registers its own). Idempotent.
 */
export function installFileRouter(): void {
  if (routerInstalled) return;
  routerInstalled = true;
  if (tf.io.getSaveHandlers('file://probe').length > 0) return;
  const strip = (url: string): string => url.slice('file://'.length);
  const dirOf = (url: string): string => {
    const p = strip(url);
    return p.endsWith(`/${MODEL_JSON}`) || p === MODEL_JSON ? path.dirname(p) : p;
  };
  // A router returns null for URLs it does not serve; tfjs's IORouter type omits that.
  tf.io.registerSaveRouter(((url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    return { save: (artifacts: tf.io.ModelArtifacts) => writeArtifacts(artifacts, dirOf(url)) };
  }) as Parameters<typeof tf.io.registerSaveRouter>[0]);
  tf.io.registerLoadRouter(((url: string | string[]) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    return { load: () => readArtifacts(dirOf(url)) };
  }) as Parameters<typeof tf.io.registerSaveRouter>[0]);
}

/** Float32 weights → float16 bytes with `quantization: { dtype: 'float16' }`; other dtypes are copied as they are. */
function toFloat16(data: Uint8Array, specs: tf.io.WeightsManifestEntry[]): { weightData: Uint8Array; weightSpecs: tf.io.WeightsManifestEntry[] } {
  const parts: Uint8Array[] = [];
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const bytes = weightByteLength(spec);
    const chunk = data.subarray(offset, offset + bytes);
    offset += bytes;
    if (spec.dtype !== 'float32' || spec.quantization != null) {
      parts.push(chunk.slice());
      outSpecs.push(spec);
      continue;
    }
    const values = new Float32Array(chunk.slice().buffer);
    const half = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) {
      half[i] = float32ToFloat16Bits(values[i]);
      if ((half[i] & 0x7fff) === 0x7c00 && Number.isFinite(values[i])) {
        throw new Error(`saveModel: weight '${spec.name}' holds ${values[i]}, outside float16's range ±65504; save it without float16`);
      }
    }
    parts.push(new Uint8Array(half.buffer));
    outSpecs.push({ ...spec, quantization: { dtype: 'float16' } });
  }
  return { weightData: concatWeightData(parts), weightSpecs: outSpecs };
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** IEEE 754 binary32 → binary16 bits, rounding to nearest even (subnormals included). */
export function float32ToFloat16Bits(value: number): number {
  F32[0] = value;
  const x = U32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflows to ±0
    mant |= 0x800000;
    const shift = 14 - e;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && half & 1) ? 1 : 0));
  }
  const half = mant >>> 13;
  const rest = mant & 0x1fff;
  let out = (e << 10) | half;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) out += 1; // a carry into the exponent is the right rounding
  return sign | out;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function weightByteLength(spec: tf.io.WeightsManifestEntry): number {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes = DTYPE_BYTES[dtype];
  if (bytes === undefined) throw new Error(`loadModel: weight '${spec.name}' has unsupported dtype '${dtype}'`);
  return size * bytes;
}

function concatWeightData(data: ArrayBuffer | ArrayBuffer[] | Uint8Array[]): Uint8Array {
  const parts = Array.isArray(data) ? data.map((d) => (d instanceof Uint8Array ? d : new Uint8Array(d))) : [new Uint8Array(data)];
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}
