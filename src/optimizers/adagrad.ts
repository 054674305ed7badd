/**
 * Adagrad (Duchi et al., https://jmlr.org/papers/v12/duchi11a.html), as tfjs and Keras compute it:
 *   acc ← acc + g²;  w ← w − lr · g / √(acc + ε),  acc starting at `initialAccumulatorValue`.
 */
import { add, div, mul, sqrt, square, sub } from '../ops/arithmetic.js';
import type { Tensor, Variable } from '../tensor.js';
import {
  type BaseOptimizerConfig,
  checkNonNegative,
  checkPositive,
  DEFAULT_EPSILON,
  Optimizer,
  type OptimizerArgs,
  type StepInfo,
} from './optimizer.js';

export interface AdagradArgs extends OptimizerArgs {
  /** Default 0.01 (tfjs-layers' 'adagrad'). */
  readonly learningRate?: OptimizerArgs['learningRate'];
  /** The accumulator's starting value, non-negative; default 0.1. */
  readonly initialAccumulatorValue?: number;
  /** Default 1e-7 (tfjs: the backend's float32 epsilon, not configurable there). */
  readonly epsilon?: number;
}

export type AdagradConfig = BaseOptimizerConfig & {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
};

type AdagradSlots = { readonly accumulator: Variable };

export class Adagrad extends Optimizer<AdagradSlots, AdagradConfig> {
  readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(args: AdagradArgs = {}) {
    super('adagrad', args, 0.01);
    const { initialAccumulatorValue = 0.1, epsilon = DEFAULT_EPSILON } = args;
    checkNonNegative(this.where, 'initialAccumulatorValue', initialAccumulatorValue);
    checkPositive(this.where, 'epsilon', epsilon);
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.epsilon = epsilon;
  }

  getConfig(): AdagradConfig {
    return { ...this.baseConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }

  protected createSlots(variable: Variable): AdagradSlots {
    return { accumulator: this.slot(variable, 'accumulator', this.initialAccumulatorValue) };
  }

  protected update(variable: Variable, g: Tensor, slots: AdagradSlots, { learningRate: lr }: StepInfo): void {
    const acc = add(slots.accumulator, square(g));
    slots.accumulator.assign(acc);
    variable.assign(sub(variable, mul(div(g, sqrt(add(acc, this.epsilon))), lr)));
  }
}

export const adagrad = (args: AdagradArgs = {}): Adagrad => new Adagrad(args);
