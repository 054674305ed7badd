/**
 * Nadam: Adam with Nesterov momentum (Dozat, 2016, http://cs229.stanford.edu/proj2015/054_report.pdf), as Keras 3
 * computes it, with the momentum schedule μ_t = β1·(1 − ½·0.96^t) and Π_t = μ_1·…·μ_t:
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   m̂ = μ_{t+1}·m / (1 − Π_t·μ_{t+1}) + (1 − μ_t)·g / (1 − Π_t);  v̂ = v / (1 − β2^t)
 *   w ← w − lr · m̂ / (√v̂ + ε)
 * tfjs has no Nadam. Π_t is a function of the step, so it is recomputed from `iterations` rather than saved.
 */
import { add, div, mul, sqrt, square, sub } from '../ops/arithmetic.js';
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

export interface NadamArgs extends OptimizerArgs {
  /** Default 0.001 (Keras 3). */
  readonly learningRate?: OptimizerArgs['learningRate'];
  /** In [0, 1); default 0.9. */
  readonly beta1?: number;
  /** In [0, 1); default 0.999. */
  readonly beta2?: number;
  /** Default 1e-7 (Keras 3). */
  readonly epsilon?: number;
}

export type NadamConfig = BaseOptimizerConfig & {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
};

type NadamSlots = { readonly m: Variable; readonly v: Variable };

/** Per-step scalars of the update. */
interface NadamCoefficients {
  readonly gradientWeight: number;
  readonly momentWeight: number;
  readonly vCorrection: number;
}

export class Nadam extends Optimizer<NadamSlots, NadamConfig> {
  readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Π_t for `productStep` = t, kept so a step costs O(1) rather than a product over all steps. */
  private product = 1;
  private productStep = 0;
  private coefficients: NadamCoefficients = { gradientWeight: 0, momentWeight: 0, vCorrection: 1 };

  constructor(args: NadamArgs = {}) {
    super('nadam', args, 0.001);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = DEFAULT_EPSILON } = args;
    checkFraction(this.where, 'beta1', beta1);
    checkFraction(this.where, 'beta2', beta2);
    checkPositive(this.where, 'epsilon', epsilon);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  getConfig(): NadamConfig {
    return { ...this.baseConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  protected createSlots(variable: Variable): NadamSlots {
    return { m: this.slot(variable, 'm'), v: this.slot(variable, 'v') };
  }

  /** μ_t. */
  private mu(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected override beginStep({ step: t }: StepInfo): void {
    // After setWeights (or a first step), rebuild Π from scratch; otherwise extend it by one factor.
    if (this.productStep !== t - 1) {
      this.product = 1;
      for (let i = 1; i < t; i++) this.product *= this.mu(i);
    }
    this.product *= this.mu(t);
    this.productStep = t;
    const next = this.product * this.mu(t + 1);
    this.coefficients = {
      momentWeight: this.mu(t + 1) / (1 - next),
      gradientWeight: (1 - this.mu(t)) / (1 - this.product),
      vCorrection: 1 - this.beta2 ** t,
    };
  }

  protected update(variable: Variable, g: Tensor, slots: NadamSlots, { learningRate: lr }: StepInfo): void {
    const { momentWeight, gradientWeight, vCorrection } = this.coefficients;
    const m = add(mul(slots.m, this.beta1), mul(g, 1 - this.beta1));
    const v = add(mul(slots.v, this.beta2), mul(square(g), 1 - this.beta2));
    slots.m.assign(m);
    slots.v.assign(v);
    const mHat = add(mul(m, momentWeight), mul(g, gradientWeight));
    const vHat = div(v, vCorrection);
    variable.assign(sub(variable, mul(div(mHat, add(sqrt(vHat), this.epsilon)), lr)));
  }
}

export const nadam = (args: NadamArgs = {}): Nadam => new Nadam(args);
