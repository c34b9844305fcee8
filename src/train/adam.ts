/**
 * Adam with PyTorch's update rule and an exactly serialisable state.
 *
 * PyTorch `torch.optim.Adam` (Kingma & Ba 2015, Alg. 1 with ε added to √v̂):
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
 *   θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
 * The bias corrections are computed in float64 from the integer step count t, so a restored
 * optimizer continues bit-for-bit (tfjs's own Adam recomputes β₁ᵗ with `pow` on restore, which can
 * differ in the last float32 bit from its running product, and uses ε = 1e-7 by default).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface AdamOptions {
  /** Default 1e-3. */
  learningRate?: number;
  /** Default 0.9 (GAN references use 0.5; PGGAN 0). */
  beta1?: number;
  /** Default 0.999 (PGGAN 0.99). */
  beta2?: number;
  /** Default 1e-8 (PyTorch, PGGAN). */
  epsilon?: number;
  /**
   * Where ε goes. 'pytorch' (default): m̂ / (√v̂ + ε). 'tensorflow' (TF1 `tf.train.AdamOptimizer`,
   * used by HoloGAN and PGGAN): lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m / (√v + ε) — "ε-hat"; the two differ only
   * while √v is comparable to ε.
   */
  epsilonPlacement?: 'pytorch' | 'tensorflow';
}

/** `{ name, tensor }` as tfjs optimizers use it (not exported by tfjs-core). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Serialisable optimizer slots, aligned with a caller-supplied variable list. */
export interface OptimizerSlots {
  /** Steps taken. */
  t: number;
  /** For each variable index with state: its first and second moments (float32 copies). */
  entries: { index: number; m: Float32Array; v: Float32Array }[];
}

export class Adam extends tf.Optimizer {
  static readonly className = 'GankitAdam';

  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly epsilonPlacement: 'pytorch' | 'tensorflow';
  /** Steps taken (PyTorch `state['step']`). */
  t = 0;
  private readonly slots = new Map<tf.Variable, { m: tf.Variable; v: tf.Variable }>();

  constructor(options: AdamOptions = {}) {
    super();
    const { learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, epsilonPlacement = 'pytorch' } = options;
    if (epsilonPlacement !== 'pytorch' && epsilonPlacement !== 'tensorflow') {
      throw new Error(`Adam: 'epsilonPlacement' must be 'pytorch' or 'tensorflow'; got '${String(epsilonPlacement)}'`);
    }
    this.epsilonPlacement = epsilonPlacement;
    if (!(learningRate >= 0)) throw new Error(`Adam: 'learningRate' must be ≥ 0; got ${learningRate}`);
    // β = 1 never forgets the first gradient and divides by 1 − β^t = 0 in the bias correction
    for (const [name, beta] of [
      ['beta1', beta1],
      ['beta2', beta2],
    ] as const) {
      if (!(beta >= 0 && beta < 1)) throw new Error(`Adam: '${name}' must be in [0, 1); got ${beta}`);
    }
    if (!(epsilon >= 0)) throw new Error(`Adam: 'epsilon' must be ≥ 0; got ${epsilon}`);
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const pairs: [string, tf.Tensor][] = Array.isArray(variableGradients) ? variableGradients.map((v) => [v.name, v.tensor]) : Object.entries(variableGradients);
    const registered = tf.engine().registeredVariables;
    this.t += 1;
    const bc1 = 1 - Math.pow(this.beta1, this.t);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(this.beta2, this.t));
    const stepSize = this.learningRate / bc1;
    tf.tidy(() => {
      for (const [name, grad] of pairs) {
        if (grad == null) continue;
        const variable = registered[name];
        if (variable == null) throw new Error(`Adam.applyGradients: no variable named '${name}' is registered`);
        let slot = this.slots.get(variable);
        if (slot == null) {
          slot = tf.tidy(() => ({ m: tf.variable(tf.zerosLike(variable), false), v: tf.variable(tf.zerosLike(variable), false) }));
          this.slots.set(variable, slot);
        }
        const m = tf.add(tf.mul(slot.m, this.beta1), tf.mul(grad, 1 - this.beta1));
        const v = tf.add(tf.mul(slot.v, this.beta2), tf.mul(tf.square(grad), 1 - this.beta2));
        slot.m.assign(m);
        slot.v.assign(v);
        if (this.epsilonPlacement === 'pytorch') {
          const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), this.epsilon);
          variable.assign(tf.sub(variable, tf.mul(stepSize, tf.div(m, denom))));
        } else {
          variable.assign(tf.sub(variable, tf.mul(stepSize * bc2Sqrt, tf.div(m, tf.add(tf.sqrt(v), this.epsilon)))));
        }
      }
    });
    this.incrementIterations();
  }

  /** Forget all moments and the step count (PGGAN resets Adam at each new level of detail). */
  reset(): void {
    for (const slot of this.slots.values()) tf.dispose([slot.m, slot.v]);
    this.slots.clear();
    this.t = 0;
    this.iterations_ = 0;
  }

  /** Copy the state for the given variables (in that order) into plain arrays. */
  exportSlots(variables: readonly tf.Variable[]): OptimizerSlots {
    const entries: OptimizerSlots['entries'] = [];
    variables.forEach((variable, index) => {
      const slot = this.slots.get(variable);
      if (slot != null) entries.push({ index, m: Float32Array.from(slot.m.dataSync()), v: Float32Array.from(slot.v.dataSync()) });
    });
    return { t: this.t, entries };
  }

  /** Restore a state from {@link exportSlots}, matching entries to `variables` by position. */
  importSlots(variables: readonly tf.Variable[], state: OptimizerSlots): void {
    for (const slot of this.slots.values()) tf.dispose([slot.m, slot.v]);
    this.slots.clear();
    for (const { index, m, v } of state.entries) {
      const variable = variables[index];
      if (variable == null) throw new Error(`Adam.importSlots: state refers to variable #${index}; only ${variables.length} given`);
      if (m.length !== variable.size || v.length !== variable.size) {
        throw new Error(`Adam.importSlots: variable #${index} ('${variable.name}') has ${variable.size} elements; the state has ${m.length}`);
      }
      this.slots.set(variable, {
        m: tf.tidy(() => tf.variable(tf.tensor(m, variable.shape), false)),
        v: tf.tidy(() => tf.variable(tf.tensor(v, variable.shape), false)),
      });
    }
    this.t = state.t;
    this.iterations_ = state.t;
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const [variable, slot] of this.slots) out.push({ name: `${variable.name}/m`, tensor: slot.m }, { name: `${variable.name}/v`, tensor: slot.v });
    return out;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const registered = tf.engine().registeredVariables;
    for (const slot of this.slots.values()) tf.dispose([slot.m, slot.v]);
    this.slots.clear();
    for (let i = 0; i + 1 < rest.length; i += 2) {
      const name = rest[i].name.replace(/\/m$/, '');
      const variable = registered[name];
      if (variable == null) throw new Error(`Adam.setWeights: no variable named '${name}' is registered`);
      this.slots.set(
        variable,
        tf.tidy(() => ({ m: tf.variable(tf.clone(rest[i].tensor), false), v: tf.variable(tf.clone(rest[i + 1].tensor), false) })),
      );
    }
    this.t = this.iterations_;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, epsilonPlacement: this.epsilonPlacement };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(config as never);
  }

  override dispose(): void {
    for (const slot of this.slots.values()) tf.dispose([slot.m, slot.v]);
    this.slots.clear();
  }
}

// tf.Optimizer's Symbol.hasInstance is duck-typed (any optimizer passes `x instanceof Adam`):
// narrow it to optimizers with gankit's exact-state methods.
Object.defineProperty(Adam, Symbol.hasInstance, {
  value: (x: unknown) => x != null && typeof (x as Adam).exportSlots === 'function' && typeof (x as Adam).importSlots === 'function',
});

/** Adam with per-network settings, e.g. `adam({ learningRate: 1e-4, beta1: 0.5 })` (GANimation, HoloGAN). */
export function adam(options: AdamOptions = {}): Adam {
  return new Adam(options);
}
