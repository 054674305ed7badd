/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum, as tfjs's `sgd` / `momentum` optimizers:
 *   plain:     w ← w − lr·g
 *   momentum:  a ← μ·a + g;  w ← w − lr·a            (nesterov: w ← w − lr·(g + μ·a))
 * The accumulator sums gradients (tfjs); Keras keeps −lr·a instead, which matches while lr is constant.
 */
import { add, mul, sub } from '../ops/arithmetic.js';
import type { Tensor, Variable } from '../tensor.js';
import {
  type BaseOptimizerConfig,
  checkBoolean,
  checkFraction,
  Optimizer,
  type OptimizerArgs,
  type StepInfo,
} from './optimizer.js';

export interface SGDArgs extends OptimizerArgs {
  /** Default 0.01 (tfjs-layers' 'sgd'). */
  readonly learningRate?: OptimizerArgs['learningRate'];
  /** μ in [0, 1]; default 0 (no accumulator slot). */
  readonly momentum?: number;
  /** Nesterov momentum; default false. */
  readonly nesterov?: boolean;
}

export type SGDConfig = BaseOptimizerConfig & { readonly momentum: number; readonly nesterov: boolean };

type SGDSlots = { readonly momentum?: Variable };

export class SGD extends Optimizer<SGDSlots, SGDConfig> {
  readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(args: SGDArgs = {}) {
    super('sgd', args, 0.01);
    const { momentum = 0, nesterov = false } = args;
    checkFraction(this.where, 'momentum', momentum, true);
    checkBoolean(this.where, 'nesterov', nesterov);
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  getConfig(): SGDConfig {
    return { ...this.baseConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }

  protected createSlots(variable: Variable): SGDSlots {
    return this.momentum > 0 ? { momentum: this.slot(variable, 'momentum') } : {};
  }

  protected update(variable: Variable, g: Tensor, slots: SGDSlots, { learningRate: lr }: StepInfo): void {
    const accumulator = slots.momentum;
    if (accumulator === undefined) {
      variable.assign(sub(variable, mul(g, lr)));
      return;
    }
    const a = add(mul(accumulator, this.momentum), g);
    accumulator.assign(a);
    const direction = this.nesterov ? add(g, mul(a, this.momentum)) : a;
    variable.assign(sub(variable, mul(direction, lr)));
  }
}

export const sgd = (args: SGDArgs = {}): SGD => new SGD(args);
