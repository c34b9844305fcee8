/** Command-line flags shared by every example: `-- [--quick | --full] [--backend name] [--out dir] [--seed n] [--data path]`. */
import type { BackendPreference } from '../../src/backend/index.js';

/**
 * How big a run is. `quick`: toy sizes, ~1–2 minutes on 2 cores (the CI smoke test).
 * `standard` (the default): trains real models on the embedded data in ≤ 15 minutes on 2 cores.
 * `full`: the documents' scale, meant for a GPU backend.
 */
export type ExampleMode = 'quick' | 'standard' | 'full';

export interface ExampleArgs {
  mode: ExampleMode;
  backend: BackendPreference;
  /** Output directory for figures and reports. */
  out: string;
  seed: number;
  /**
   * Load the trained models from `checkpoints/` (written by a standard-mode run) instead of training
   * them, where the example has them; the configuration is the standard one. What `npm run demo` does.
   */
  checkpoints?: boolean;
  /** Path to a real dataset (CelebA, FER2013, FERG-DB, EmotioNet); embedded synthetic data otherwise. */
  data?: string;
}

const BACKENDS: readonly BackendPreference[] = ['auto', 'node-gpu', 'tensorflow', 'wasm', 'cpu'];

export function parseExampleArgs(argv: string[], defaultOut: string): ExampleArgs {
  const args: ExampleArgs = { mode: 'standard', backend: 'auto', out: defaultOut, seed: 0 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--quick':
      case '--standard':
      case '--full':
        args.mode = flag.slice(2) as ExampleMode;
        break;
      case '--backend': {
        const b = value() as BackendPreference;
        if (!BACKENDS.includes(b)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}; got '${b}'`);
        args.backend = b;
        break;
      }
      case '--out':
        args.out = value();
        break;
      case '--seed': {
        const s = Number(value());
        if (!Number.isInteger(s)) throw new Error(`--seed must be an integer; got '${argv[i]}'`);
        args.seed = s;
        break;
      }
      case '--checkpoints':
        args.checkpoints = true;
        args.mode = 'standard';
        break;
      case '--data':
        args.data = value();
        break;
      default:
        throw new Error(`unknown flag '${flag}' (flags: --quick, --standard, --full, --checkpoints, --backend, --out, --seed, --data)`);
    }
  }
  return args;
}
