import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/**
 * The folders of src/, bottom → top. A folder may import the folders below it, never one above
 * (peers on one level — latent and metrics — not each other). Checked by `import-x/no-restricted-paths`
 * below, with `import-x/no-cycle` for cycles inside a folder. `src/index.ts` sits above them all.
 */
const LAYERS = [['util'], ['linalg'], ['layers'], ['backend'], ['losses'], ['latent', 'metrics'], ['models'], ['data'], ['io'], ['viz'], ['train'], ['node']];
const layerZones = LAYERS.flatMap((level, i) =>
  level.map((folder) => ({
    target: `./src/${folder}`,
    from: [...LAYERS.slice(i + 1).flat(), ...level.filter((peer) => peer !== folder)].map((above) => `./src/${above}`),
    message: `src/${folder} may only import folders below it (order: ${LAYERS.map((l) => l.join('|')).join(' → ')}).`,
  })),
).filter((zone) => zone.from.length > 0);

export default tseslint.config(
  { ignores: ['dist/**', 'bench/scratch/**', 'node_modules/**', 'docs/api/**', 'out/**', 'coverage/**', 'test/docs/.generated/**', 'studio/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "AssignmentExpression[left.property.name='trainable'][right.value=false]",
          message: 'Train with explicit variable lists instead of toggling `trainable`.',
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Backend-agnostic code must not import Node built-ins; Node-only code lives in src/io, src/node, src/data/loaders.
    files: ['src/**/*.ts'],
    ignores: ['src/io/**', 'src/node/**', 'src/data/loaders/**', 'src/viz/file/**', 'src/backend/setup.ts', 'src/backend/wasm_threads.ts', 'src/train/node/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'sharp'] }],
    },
  },
);
