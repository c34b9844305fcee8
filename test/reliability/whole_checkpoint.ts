/**
 * Reads a checkpoint written by `fixtures/checkpoint_writer.ts` and checks that it is whole: its
 * `checkpoint.json`, `tensors.bin` and `models/G` all come from one save of one writer.
 */
import * as path from 'node:path';
import { expect } from 'vitest';
import { readDirectoryAtomic } from '../../src/io/atomic.js';
import { loadModel } from '../../src/io/model_io.js';
import { readCheckpoint } from '../../src/train/node/checkpoint.js';

/**
 * Load `dir` and return which save it holds, failing the test if its parts disagree. The state and
 * the model are read inside one `readDirectoryAtomic`, so they are one snapshot even while other
 * processes keep saving.
 */
export async function readWholeCheckpoint(dir: string, withModel = true): Promise<{ writer: number; i: number }> {
  const parts = await readDirectoryAtomic(
    dir,
    async (d) => {
      const state = await readCheckpoint(d);
      const model = withModel ? await loadModel(path.join(d, 'models', 'G')) : null;
      const kernel0 = model ? model.getWeights()[0].dataSync()[0] : null;
      model?.dispose();
      return { state, kernel0 };
    },
    { manifest: 'checkpoint.json' },
  );
  const state = parts.state;
  const { writer, i } = state.user as { writer: number; i: number };
  expect(state.variables[0].data[0], 'tensors.bin: save index').toBe(i);
  expect(state.variables[1].data[0], 'tensors.bin: writer').toBe(writer);
  if (withModel) expect(parts.kernel0, 'models/G: writer·1000 + save index').toBe(writer * 1000 + i);
  return { writer, i };
}
