/**
 * Bundled checkpoints: the standard mode of each example saves its trained generators (and the heads
 * its analyses need) under `checkpoints/<example>/<name>/` as float16 `model.json` + `weights.bin`
 * with a `card.json` (command, seed, commit, seconds, FID, configuration). `loadCheckpoint` checks
 * the card against the architecture the caller expects and reports a wrong, truncated or corrupt
 * checkpoint by path.
 */
import { existsSync, readFileSync } from 'node:fs';
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
  weightsDtype: 'float16';
  bytes: number;
  config: Record<string, unknown>;
}

/** Save `model` as `checkpoints/<example>/<name>/` in float16 with its card; returns the card. */
export async function saveCheckpoint(model: tfl.LayersModel, card: Omit<CheckpointCard, 'commit' | 'command' | 'weightsDtype' | 'bytes'>, root = checkpointRoot()): Promise<CheckpointCard> {
  const dir = path.join(root, card.example, card.name);
  const saved = await saveModel(model, dir, { float16: true });
  const full: CheckpointCard = {
    ...card,
    command: ['npx tsx', path.relative(process.cwd(), process.argv[1] ?? ''), ...process.argv.slice(2)].join(' '),
    commit: gitCommit(),
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
