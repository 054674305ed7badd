/**
 * Adamax (Kingma & Ba, https://arxiv.org/abs/1412.6980, section 7.1), as tfjs and Keras compute it:
 *   m ← β1·m + (1−β1)·g;  u ← max(β2·u, |g|)
 *   w ← w − lr/(1−β1^t) · m/(u + ε)
 */
import { abs, add, div, maximum, mul, sub } from '../ops/arithmetic.js';
import type { Tensor, Variable } from '../tensor.js';
import {
  type BaseOptimizerConfig,
  checkFraction,
  checkPositive,
  DEFAULT_EPSILON,
  Optimizer,
  type OptimizerArgs,
  type StepInfo,
} from './optimizer.js';

export interface AdamaxArgs extends OptimizerArgs {
  /** Default 0.002 (tfjs; Keras 3 uses 0.001). */
  readonly learningRate?: OptimizerArgs['learningRate'];
  /** In [0, 1); default 0.9. */
  readonly beta1?: number;
  /** In [0, 1); default 0.999. */
  readonly beta2?: number;
  /** Default 1e-7 (tfjs: the backend's float32 epsilon). */
  readonly epsilon?: number;
}

export type AdamaxConfig = BaseOptimizerConfig & {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
};

type AdamaxSlots = { readonly m: Variable; readonly v: Variable };

export class Adamax extends Optimizer<AdamaxSlots, AdamaxConfig> {
  readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(args: AdamaxArgs = {}) {
    super('adamax', args, 0.002);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = DEFAULT_EPSILON } = args;
    checkFraction(this.where, 'beta1', beta1);
    checkFraction(this.where, 'beta2', beta2);
    checkPositive(this.where, 'epsilon', epsilon);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  getConfig(): AdamaxConfig {
    return { ...this.baseConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  protected createSlots(variable: Variable): AdamaxSlots {
    return { m: this.slot(variable, 'm'), v: this.slot(variable, 'v') };
  }

  protected update(variable: Variable, g: Tensor, slots: AdamaxSlots, info: StepInfo): void {
    const m = add(mul(slots.m, this.beta1), mul(g, 1 - this.beta1));
    const u = maximum(mul(slots.v, this.beta2), abs(g));
    slots.m.assign(m);
    slots.v.assign(u);
    const stepSize = info.learningRate / (1 - this.beta1 ** info.step);
    variable.assign(sub(variable, mul(div(m, add(u, this.epsilon)), stepSize)));
  }
}

export const adamax = (args: AdamaxArgs = {}): Adamax => new Adamax(args);
