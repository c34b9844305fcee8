/**
 * Trainer checkpoints on disk: `checkpoint.json` (step, RNG state, optimizer metadata, tensor
 * manifest) + `tensors.bin` (float32, little-endian), optionally with loadable models under
 * `models/<name>/`. The directory is written atomically (src/io/atomic.ts), so a crash, Ctrl-C or
 * SIGKILL during a save leaves the previous checkpoint loadable, and two writers never mix their
 * files. `checkpoint.json` records the byte length and SHA-256 of `tensors.bin`, so a truncated or
 * corrupt checkpoint is refused with an error that names the file.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { readDirectoryAtomic, resolveAtomicPath, writeDirectoryAtomic } from '../../io/atomic.js';
import { sha256, writeArtifacts } from '../../io/model_io.js';
import type { Trainer, TrainerState } from '../trainer.js';

export const CHECKPOINT_JSON = 'checkpoint.json';
export const TENSORS_BIN = 'tensors.bin';

interface ArrayRef {
  offset: number;
  length: number;
}

/** Serialise a trainer state into JSON-able metadata and one float32 buffer. */
export function encodeTrainerState(state: TrainerState): { json: unknown; data: Uint8Array } {
  const chunks: Float32Array[] = [];
  let offset = 0;
  const ref = (a: Float32Array): ArrayRef => {
    chunks.push(a);
    const r = { offset, length: a.length };
    offset += a.length;
    return r;
  };
  const json = {
    format: state.format,
    version: state.version,
    step: state.step,
    rng: state.rng,
    variables: state.variables.map((v) => ({ name: v.name, shape: v.shape, data: ref(v.data) })),
    ema: state.ema?.map((e) => ({ shape: e.shape, data: ref(e.data) })) ?? null,
    sampleNoise: state.sampleNoise ? { shape: state.sampleNoise.shape, data: ref(state.sampleNoise.data) } : null,
    optimizers: state.optimizers.map((o) => ({
      updates: o.updates,
      learningRate: o.learningRate,
      state:
        'entries' in o.state
          ? { t: o.state.t, entries: o.state.entries.map((e) => ({ index: e.index, m: ref(e.m), v: ref(e.v) })) }
          : { weights: o.state.weights.map((w) => ({ name: w.name, shape: w.shape, data: ref(w.data) })) },
    })),
  };
  const all = new Float32Array(offset);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return { json, data: new Uint8Array(all.buffer, all.byteOffset, all.byteLength) };
}

/** Inverse of {@link encodeTrainerState}. */
export function decodeTrainerState(json: any, bytes: Uint8Array): TrainerState {
  if (json?.format !== 'gankit-trainer-state') throw new Error(`loadCheckpoint: not a gankit checkpoint (format ${String(json?.format)})`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const all = new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  const get = (r: ArrayRef): Float32Array => {
    if (r.offset + r.length > all.length) {
      throw new Error(`loadCheckpoint: ${TENSORS_BIN} is truncated: it holds ${all.length * 4} bytes but ${CHECKPOINT_JSON} expects at least ${(r.offset + r.length) * 4} bytes`);
    }
    return all.slice(r.offset, r.offset + r.length);
  };
  return {
    format: json.format,
    version: json.version,
    step: json.step,
    rng: json.rng,
    variables: json.variables.map((v: any) => ({ name: v.name, shape: v.shape, data: get(v.data) })),
    ema: json.ema ? json.ema.map((e: any) => ({ shape: e.shape, data: get(e.data) })) : null,
    sampleNoise: json.sampleNoise ? { shape: json.sampleNoise.shape, data: get(json.sampleNoise.data) } : null,
    optimizers: json.optimizers.map((o: any) => ({
      updates: o.updates,
      learningRate: o.learningRate,
      state:
        'entries' in o.state
          ? { t: o.state.t, entries: o.state.entries.map((e: any) => ({ index: e.index, m: get(e.m), v: get(e.v) })) }
          : { weights: o.state.weights.map((w: any) => ({ name: w.name, shape: w.shape, data: get(w.data) })) },
    })),
  };
}

export interface SaveCheckpointOptions {
  /** Layers models to save as `models/<name>/` (model.json + weights.bin), loadable with `loadModel`. */
  models?: Record<string, tfl.LayersModel>;
  /** Models saved with the trainer's EMA weights swapped in, as `models/<name>/`. */
  emaModels?: Record<string, tfl.LayersModel>;
  /** Extra JSON stored in checkpoint.json under `user`. */
  metadata?: Record<string, unknown>;
}

async function saveModelInto(model: tfl.LayersModel, dir: string): Promise<void> {
  await model.save(tf.io.withSaveHandler((artifacts) => writeArtifacts(artifacts, dir)));
}

/** Write the trainer's full state (and optional models) to `dir`, atomically. */
export async function saveCheckpoint(trainer: Trainer, dir: string, options: SaveCheckpointOptions = {}): Promise<void> {
  const state = await trainer.getState();
  const { json, data } = encodeTrainerState(state);
  await writeDirectoryAtomic(dir, async (tmp) => {
    await fs.writeFile(path.join(tmp, TENSORS_BIN), data);
    for (const [name, model] of Object.entries(options.models ?? {})) await saveModelInto(model, path.join(tmp, 'models', name));
    for (const [name, model] of Object.entries(options.emaModels ?? {})) {
      if (trainer.ema == null) throw new Error(`saveCheckpoint: 'emaModels' given but the trainer has no EMA`);
      await trainer.ema.withAverages(() => saveModelInto(model, path.join(tmp, 'models', name)));
    }
    const meta = {
      ...(json as object),
      tensorsBytes: data.byteLength,
      tensorsSha256: sha256(data),
      saveId: randomBytes(8).toString('hex'),
      savedAt: new Date().toISOString(),
      user: options.metadata ?? null,
    };
    await fs.writeFile(path.join(tmp, CHECKPOINT_JSON), JSON.stringify(meta));
  });
}

/**
 * Read a checkpoint directory into a {@link TrainerState} (plus the `user` metadata). A checkpoint
 * whose save was killed half-way is read from its previous version; a truncated or corrupt one is
 * refused, naming the file and the expected and actual byte length (or checksum).
 */
export async function readCheckpoint(dir: string): Promise<TrainerState & { user?: Record<string, unknown> | null }> {
  if (typeof dir !== 'string' || dir.length === 0) throw new Error(`loadCheckpoint: 'dir' must be a non-empty path; got ${String(dir)}`);
  return readDirectoryAtomic(dir, readCheckpointFrom, { manifest: CHECKPOINT_JSON });
}

async function readCheckpointFrom(dir: string): Promise<TrainerState & { user?: Record<string, unknown> | null }> {
  const jsonPath = path.join(dir, CHECKPOINT_JSON);
  let text: string;
  try {
    text = await fs.readFile(jsonPath, 'utf8');
  } catch (err) {
    throw new Error(`loadCheckpoint: cannot read ${jsonPath}: ${(err as Error).message}`);
  }
  let json: any;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`loadCheckpoint: ${jsonPath} is not valid JSON (${text.length} characters; truncated or corrupt): ${(err as Error).message}`);
  }
  const binPath = path.join(dir, TENSORS_BIN);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(binPath));
  } catch (err) {
    throw new Error(`loadCheckpoint: cannot read ${binPath}: ${(err as Error).message}`);
  }
  if (typeof json?.tensorsBytes === 'number' && bytes.byteLength !== json.tensorsBytes) {
    throw new Error(`loadCheckpoint: ${binPath} holds ${bytes.byteLength} bytes but ${CHECKPOINT_JSON} expects ${json.tensorsBytes} bytes; the checkpoint is truncated or corrupt`);
  }
  if (typeof json?.tensorsSha256 === 'string' && sha256(bytes) !== json.tensorsSha256) {
    throw new Error(
      `loadCheckpoint: ${binPath} (${bytes.byteLength} bytes) does not match the SHA-256 in ${CHECKPOINT_JSON} (expected ${json.tensorsSha256}, got ${sha256(bytes)}); the checkpoint is corrupt`,
    );
  }
  if (bytes.byteLength % 4 !== 0) throw new Error(`loadCheckpoint: ${binPath} holds ${bytes.byteLength} bytes, not a whole number of float32 values; the checkpoint is truncated`);
  return { ...decodeTrainerState(json, bytes), user: json.user ?? null };
}

/** Restore a trainer (built exactly as when it was saved) from a checkpoint directory; returns the step. */
export async function loadCheckpoint(trainer: Trainer, dir: string): Promise<number> {
  const state = await readCheckpoint(dir);
  await trainer.setState(state);
  return state.step;
}

/** Whether `dir` holds a complete checkpoint (or, after a save killed half-way, its previous version does). */
export async function checkpointExists(dir: string): Promise<boolean> {
  try {
    const resolved = await resolveAtomicPath(dir);
    await fs.access(path.join(resolved, CHECKPOINT_JSON));
    await fs.access(path.join(resolved, TENSORS_BIN));
    return true;
  } catch {
    return false;
  }
}
