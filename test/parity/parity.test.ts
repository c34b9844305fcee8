/**
 * The parity suite: the same specs on cpu (the reference) and on every backend in
 * PARITY_BACKENDS (wasm and webgpu; webgpu runs on SwiftShader where there is no GPU). Forward
 * values, gradients w.r.t. inputs and weights, second-order gradients through the penalties, one
 * training step of every model builder, and the latent tools. Tolerances: harness.ts.
 */
import { afterAll, describe, it } from 'vitest';
import { PARITY_BACKENDS, initParityBackend } from './backends.js';
import { expectParity, runOn, type ParityOutputs, type ParitySpec } from './harness.js';
import { layerSpecs } from './specs/layers.js';
import { modelSpecs } from './specs/models.js';
import { lossSpecs } from './specs/losses.js';
import { latentSpecs } from './specs/latent.js';

const groups: [string, ParitySpec[]][] = [
  ['layers', layerSpecs],
  ['losses', lossSpecs],
  ['models', modelSpecs],
  ['latent tools', latentSpecs],
];
const worst: Record<string, number> = {};

for (const [group, specs] of groups) {
  describe(`parity: ${group}`, () => {
    for (const spec of specs) {
      it(`${spec.name} agrees with cpu on ${PARITY_BACKENDS.join(', ')}`, async () => {
        const reference: ParityOutputs = await runOn('cpu', spec);
        for (const backend of PARITY_BACKENDS) {
          const ratio = expectParity(spec, backend, await runOn(backend, spec), reference);
          worst[backend] = Math.max(worst[backend] ?? 0, ratio);
        }
      });
    }
  });
}

afterAll(async () => {
  await initParityBackend('cpu');
  console.info(`[parity] worst |diff| / tolerance per backend: ${JSON.stringify(worst)}`);
});
