import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'bench/scratch/**', 'node_modules/**', 'docs/api/**', 'out/**', 'coverage/**', 'test/docs/.generated/**'] },
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
