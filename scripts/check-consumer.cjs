// Packaging check: after `npm run build`, import gankit by name from ESM and CJS and verify
// both builds see the same tfjs engine as the consumer (one engine, not two).
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const root = path.resolve(__dirname, '..');
const subpaths = ['', '/layers', '/losses', '/latent', '/models', '/data', '/train', '/metrics', '/viz', '/backend', '/node'];

(async () => {
  const tf = require('@tensorflow/tfjs-core');
  const cjs = require(path.join(root, 'dist/index.cjs'));
  const esm = await import(pathToFileURL(path.join(root, 'dist/index.js')).href);
  if (typeof cjs.setupBackend !== 'function' || typeof esm.setupBackend !== 'function') throw new Error('setupBackend missing from a build');
  for (const sub of subpaths) {
    const name = sub === '' ? 'index' : sub.slice(1);
    require(path.join(root, `dist/${name}.cjs`));
    await import(pathToFileURL(path.join(root, `dist/${name}.js`)).href);
  }
  await cjs.setupBackend('cpu', { log: () => {} });
  // The engine is a global singleton keyed on the tfjs-core module instance: if gankit had its
  // own copy, the consumer's tf would not see the backend gankit selected.
  const esmTf = await import('@tensorflow/tfjs-core');
  if (tf.getBackend() !== 'cpu' || esmTf.getBackend() !== 'cpu') throw new Error('gankit and the consumer see different tfjs engines');
  if (tf.engine() !== esmTf.engine()) throw new Error('ESM and CJS tfjs-core resolve to different engines');
  console.log(`consumer check ok: ${subpaths.length} subpaths load from ESM and CJS; one tfjs engine (backend ${tf.getBackend()})`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
