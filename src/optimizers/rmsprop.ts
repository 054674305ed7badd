/**
 * RMSProp (Hinton, Coursera lecture 6e), as tfjs and Keras compute it:
 *   s ← ρ·s + (1−ρ)·g²
 *   centered:  ḡ ← ρ·ḡ + (1−ρ)·g;  d = s − ḡ² + ε;   plain: d = s + ε
 *   a ← μ·a + lr·g/√d;  w ← w − a
 * The momentum slot exists even when μ = 0, as in tfjs, so saved weights line up with tfjs's.
 * For the centered form tfjs computes √(s − ḡ² − ε); we add ε as Keras and TensorFlow do (no NaN when s ≈ ḡ²).
 */
import { add, div, mul, sqrt, square, sub } from '../ops/arithmetic.js';
import type { Tensor, Variable } from '../tensor.js';
import {
  type BaseOptimizerConfig,
  checkBoolean,
  checkFraction,
  checkPositive,
  DEFAULT_EPSILON,
  Optimizer,
  type OptimizerArgs,
  type StepInfo,
} from './optimizer.js';

export interface RMSPropArgs extends OptimizerArgs {
  /** Default 0.001 (tfjs-layers' 'rmsprop', Keras). */
  readonly learningRate?: OptimizerArgs['learningRate'];
  /** ρ, the decay of the mean square, in [0, 1]; default 0.9 (tfjs calls it `decay`). */
  readonly rho?: number;
  /** μ in [0, 1]; default 0. */
  readonly momentum?: number;
  /** Default 1e-7 (tfjs: the backend's float32 epsilon). */
  readonly epsilon?: number;
  /** Normalize by the variance (s − ḡ²) instead of the mean square; default false. */
  readonly centered?: boolean;
}

export type RMSPropConfig = BaseOptimizerConfig & {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
};

type RMSPropSlots = { readonly rms: Variable; readonly momentum: Variable; readonly mg?: Variable };

export class RMSProp extends Optimizer<RMSPropSlots, RMSPropConfig> {
  readonly className = 'RMSProp';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(args: RMSPropArgs = {}) {
    super('rmsprop', args, 0.001);
    const { rho = 0.9, momentum = 0, epsilon = DEFAULT_EPSILON, centered = false } = args;
    checkFraction(this.where, 'rho', rho, true);
    checkFraction(this.where, 'momentum', momentum, true);
    checkPositive(this.where, 'epsilon', epsilon);
    checkBoolean(this.where, 'centered', centered);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  getConfig(): RMSPropConfig {
    return {
      ...this.baseConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }

  protected createSlots(variable: Variable): RMSPropSlots {
    const slots = { rms: this.slot(variable, 'rms'), momentum: this.slot(variable, 'momentum') };
    return this.centered ? { ...slots, mg: this.slot(variable, 'mg') } : slots;
  }

  protected update(variable: Variable, g: Tensor, slots: RMSPropSlots, { learningRate: lr }: StepInfo): void {
    const s = add(mul(slots.rms, this.rho), mul(square(g), 1 - this.rho));
    slots.rms.assign(s);
    let denominator = add(s, this.epsilon);
    if (slots.mg !== undefined) {
      const mg = add(mul(slots.mg, this.rho), mul(g, 1 - this.rho));
      slots.mg.assign(mg);
      denominator = add(sub(s, square(mg)), this.epsilon);
    }
    const a = add(mul(slots.momentum, this.momentum), div(mul(g, lr), sqrt(denominator)));
    slots.momentum.assign(a);
    variable.assign(sub(variable, a));
  }
}

export const rmsprop = (args: RMSPropArgs = {}): RMSProp => new RMSProp(args);
