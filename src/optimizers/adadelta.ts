/**
 * Adadelta (Zeiler, https://arxiv.org/abs/1212.5701, Algorithm 1), as Keras and TensorFlow compute it:
 *   E[g²] ← ρ·E[g²] + (1−ρ)·g²
 *   Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g          (with the E[g²] just updated)
 *   E[Δ²] ← ρ·E[Δ²] + (1−ρ)·Δ²;  w ← w − lr·Δ
 * tfjs 4.22 divides by the E[g²] of the previous step instead (a departure from the paper, which makes its first
 * step lr·g rather than about lr·√(ε/(1−ρ))·sign g); we follow the paper, so tfjs is not our oracle here.
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

export interface AdadeltaArgs extends OptimizerArgs {
  /** Default 0.001 (tfjs `train.adadelta`, Keras 3); the paper's form is 1. */
  readonly learningRate?: OptimizerArgs['learningRate'];
  /** ρ in [0, 1]; default 0.95. */
  readonly rho?: number;
  /** Default 1e-7 (tfjs: the backend's float32 epsilon). */
  readonly epsilon?: number;
}

export type AdadeltaConfig = BaseOptimizerConfig & { readonly rho: number; readonly epsilon: number };

type AdadeltaSlots = { readonly accumGrad: Variable; readonly accumVar: Variable };

export class Adadelta extends Optimizer<AdadeltaSlots, AdadeltaConfig> {
  readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(args: AdadeltaArgs = {}) {
    super('adadelta', args, 0.001);
    const { rho = 0.95, epsilon = DEFAULT_EPSILON } = args;
    checkFraction(this.where, 'rho', rho, true);
    checkPositive(this.where, 'epsilon', epsilon);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  getConfig(): AdadeltaConfig {
    return { ...this.baseConfig(), rho: this.rho, epsilon: this.epsilon };
  }

  protected createSlots(variable: Variable): AdadeltaSlots {
    // tfjs's slot names, so saved weights line up.
    return { accumGrad: this.slot(variable, 'accum_grad'), accumVar: this.slot(variable, 'accum_var') };
  }

  protected update(variable: Variable, g: Tensor, slots: AdadeltaSlots, { learningRate: lr }: StepInfo): void {
    const accumGrad = add(mul(slots.accumGrad, this.rho), mul(square(g), 1 - this.rho));
    const delta = mul(div(sqrt(add(slots.accumVar, this.epsilon)), sqrt(add(accumGrad, this.epsilon))), g);
    const accumVar = add(mul(slots.accumVar, this.rho), mul(square(delta), 1 - this.rho));
    slots.accumGrad.assign(accumGrad);
    slots.accumVar.assign(accumVar);
    variable.assign(sub(variable, mul(delta, lr)));
  }
}

export const adadelta = (args: AdadeltaArgs = {}): Adadelta => new Adadelta(args);
