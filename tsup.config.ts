import { defineConfig } from 'tsup';

/** One entry per public subpath (see package.json `exports`). `gankit/node` holds everything Node-only. */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    layers: 'src/layers/index.ts',
    losses: 'src/losses/index.ts',
    latent: 'src/latent/index.ts',
    models: 'src/models/index.ts',
    data: 'src/data/index.ts',
    train: 'src/train/index.ts',
    metrics: 'src/metrics/index.ts',
    viz: 'src/viz/index.ts',
    backend: 'src/backend/index.ts',
    node: 'src/node/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  treeshake: true,
  shims: true,
  // tfjs must never be bundled: the user's tfjs engine is the one gankit uses.
  external: [/^@tensorflow\//, 'pngjs', 'sharp'],
});
