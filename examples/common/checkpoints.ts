/**
 * Bundled checkpoints: the standard mode of each example saves its trained generators (and the heads
 * its analyses need) under `checkpoints/<example>/<name>/` as float16 `model.json` + `weights.bin`
 * with a `card.json` (command, seed, commit, seconds, FID, configuration). `loadCheckpoint` checks
 * the card against the architecture the caller expects and reports a wrong, truncated or corrupt
 * checkpoint by path.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tfl from '@tensorflow/tfjs-layers';
import { loadModel, saveModel, writeFileAtomic } from '../../src/node/index.js';
import { gitCommit } from './main.js';

/** Where the bundled checkpoints live: `<repo>/checkpoints`, or `GANKIT_CHECKPOINTS_DIR` when set (tests). */
export const CHECKPOINTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'checkpoints');

const checkpointRoot = (): string => process.env.GANKIT_CHECKPOINTS_DIR || CHECKPOINTS_DIR;

export interface CheckpointCard {
  example: string;
  name: string;
  /** What the model is, e.g. 'DCGAN generator, 32 px, ngf 32, z 64' — compared on load. */
  architecture: string;
  command: string;
  seed: number;
  commit: string;
  /** Seconds from the start of the run to this save. */
  seconds: number;
  /** FID against held-out faces where the model is a generator. */
  fid?: number;
  /** float16 for models; float32 (JSON numbers) for a JSON checkpoint. */
  weightsDtype: 'float16' | 'float32';
  bytes: number;
  config: Record<string, unknown>;
}

/** The command line and commit that every card records. */
function provenance(): Pick<CheckpointCard, 'command' | 'commit'> {
  return { command: ['npx tsx', path.relative(process.cwd(), process.argv[1] ?? ''), ...process.argv.slice(2)].join(' '), commit: gitCommit() };
}

/** Files of a checkpoint directory that saveCheckpoint itself writes; any other file is a companion (e.g. the studio's directions.json). */
const OWN_FILES = new Set(['model.json', 'weights.bin', 'card.json']);

/** The weights' SHA-256 recorded in `dir/model.json` (saveModel's integrity record), or null. */
function weightsSha256(dir: string): string | null {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as { gankit?: { weightsSha256?: string } }).gankit?.weightsSha256 ?? null;
  } catch {
    return null;
  }
}

/**
 * Save `model` as `checkpoints/<example>/<name>/` in float16 with its card; returns the card.
 * Companion files derived from the weights (the studio's `directions.json`) survive a save whose
 * weights are byte-identical; when the weights changed they are stale and are dropped, with a
 * warning naming the command that rebuilds them.
 */
export async function saveCheckpoint(model: tfl.LayersModel, card: Omit<CheckpointCard, 'commit' | 'command' | 'weightsDtype' | 'bytes'>, root = checkpointRoot()): Promise<CheckpointCard> {
  const dir = path.join(root, card.example, card.name);
  const previousSha = weightsSha256(dir);
  const companions = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile() && !OWN_FILES.has(e.name))
        .map((e) => ({ name: e.name, bytes: readFileSync(path.join(dir, e.name)) }))
    : [];
  const saved = await saveModel(model, dir, { float16: true }); // replaces the directory atomically
  if (companions.length > 0) {
    if (previousSha !== null && weightsSha256(dir) === previousSha) {
      for (const c of companions) await writeFileAtomic(path.join(dir, c.name), c.bytes);
    } else {
      console.warn(`saveCheckpoint: ${dir}: new weights, so ${companions.map((c) => c.name).join(', ')} (derived from the old ones) were dropped; rebuild them (npm run studio:directions)`);
    }
  }
  const full: CheckpointCard = {
    ...card,
    ...provenance(),
    weightsDtype: 'float16',
    bytes: saved.modelArtifactsInfo.weightDataBytes ?? 0,
  };
  await writeFileAtomic(path.join(dir, 'card.json'), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/** Whether `checkpoints/<example>/<name>/` holds a checkpoint. */
export function hasCheckpoint(example: string, name: string, root = checkpointRoot()): boolean {
  return existsSync(path.join(root, example, name, 'card.json'));
}

/**
 * Load `checkpoints/<example>/<name>/`, refusing one whose card names another architecture, and
 * turning a truncated or corrupt file into an error that names the checkpoint.
 */
export async function loadCheckpoint(example: string, name: string, architecture: string, root = checkpointRoot()): Promise<{ model: tfl.LayersModel; card: CheckpointCard }> {
  const dir = path.join(root, example, name);
  const cardFile = path.join(dir, 'card.json');
  let card: CheckpointCard;
  try {
    card = JSON.parse(readFileSync(cardFile, 'utf8')) as CheckpointCard;
  } catch (err) {
    throw new Error(`loadCheckpoint: ${cardFile} cannot be read as JSON (${(err as Error).message}); rerun the example in standard mode to rewrite the checkpoint`);
  }
  if (card.architecture !== architecture) {
    throw new Error(`loadCheckpoint: ${dir} holds '${card.architecture}', but '${architecture}' was expected; rerun the example in standard mode to retrain it`);
  }
  try {
    return { model: await loadModel(dir), card };
  } catch (err) {
    throw new Error(`loadCheckpoint: ${dir} is damaged: ${(err as Error).message}`);
  }
}

/**
 * Save a small non-model result (e.g. 000's learned walk vectors) as `checkpoints/<example>/<name>/`
 * `data.json` + `card.json`, written atomically, with the same card as a model checkpoint.
 */
export async function saveJsonCheckpoint(data: unknown, card: Omit<CheckpointCard, 'commit' | 'command' | 'weightsDtype' | 'bytes'>, root = checkpointRoot()): Promise<CheckpointCard> {
  const dir = path.join(root, card.example, card.name);
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(data)}\n`;
  await writeFileAtomic(path.join(dir, 'data.json'), text);
  const full: CheckpointCard = {
    ...card,
    ...provenance(),
    weightsDtype: 'float32',
    bytes: Buffer.byteLength(text),
  };
  await writeFileAtomic(path.join(dir, 'card.json'), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/** Load what saveJsonCheckpoint wrote, refusing another architecture and naming a damaged file. */
export function loadJsonCheckpoint<T>(example: string, name: string, architecture: string, root = checkpointRoot()): { data: T; card: CheckpointCard } {
  const dir = path.join(root, example, name);
  const read = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      throw new Error(`loadJsonCheckpoint: ${path.join(dir, file)} cannot be read as JSON (${(err as Error).message}); rerun the example in standard mode to rewrite the checkpoint`);
    }
  };
  const card = read('card.json') as CheckpointCard;
  if (card.architecture !== architecture) {
    throw new Error(`loadJsonCheckpoint: ${dir} holds '${card.architecture}', but '${architecture}' was expected; rerun the example in standard mode to retrain it`);
  }
  return { data: read('data.json') as T, card };
}
