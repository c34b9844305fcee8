/**
 * Reads a checkpoint written by `fixtures/checkpoint_writer.ts` and checks that it is whole: its
 * `checkpoint.json`, `tensors.bin` and `models/G` all come from one save of one writer.
 */
import * as path from 'node:path';
import { expect } from 'vitest';
import { loadModel } from '../../src/io/model_io.js';
import { readCheckpoint } from '../../src/train/node/checkpoint.js';

/** Load `dir` and return which save it holds, failing the test if its parts disagree. */
export async function readWholeCheckpoint(dir: string, withModel = true): Promise<{ writer: number; i: number }> {
  const state = await readCheckpoint(dir);
  const { writer, i } = state.user as { writer: number; i: number };
  expect(state.variables[0].data[0], 'tensors.bin: save index').toBe(i);
  expect(state.variables[1].data[0], 'tensors.bin: writer').toBe(writer);
  if (withModel) {
    const model = await loadModel(path.join(dir, 'models', 'G'));
    const kernel = model.getWeights()[0];
    expect(kernel.dataSync()[0], 'models/G: writer·1000 + save index').toBe(writer * 1000 + i);
    model.dispose();
  }
  return { writer, i };
}
