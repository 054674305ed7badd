/**
 * Adam (Kingma & Ba, https://arxiv.org/abs/1412.6980), in the form of the paper's Algorithm 1 as tfjs computes it:
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   w ← w − lr · m̂ / (√v̂ + ε),  m̂ = m / (1−β1^t),  v̂ = v / (1−β2^t)
 * AMSGrad (https://openreview.net/forum?id=ryQu7f-RZ, as Keras): v̂ = max over steps of v, then corrected likewise.
 * ε is added to the corrected √v̂ (tfjs); Keras adds it to the uncorrected √v, which differs only for tiny v.
 */
import { add, div, maximum, mul, sqrt, square, sub } from '../ops/arithmetic.js';
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

export interface AdamArgs extends OptimizerArgs {
  /** Default 0.001. */
  readonly learningRate?: OptimizerArgs['learningRate'];
  /** Decay of the first moment, in [0, 1); default 0.9. */
  readonly beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  readonly beta2?: number;
  /** Default 1e-7 (tfjs: the backend's float32 epsilon). */
  readonly epsilon?: number;
  /** Use the running maximum of v (AMSGrad); default false. */
  readonly amsgrad?: boolean;
}

export type AdamConfig = BaseOptimizerConfig & {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
};

/** Adam's hyperparameters, validated. */
export type AdamParams = Omit<AdamConfig, keyof BaseOptimizerConfig>;

export type AdamSlots = { readonly m: Variable; readonly v: Variable; readonly vhat?: Variable };

/** Validates Adam's options (shared with AdamW). */
export function adamParams(where: string, args: AdamArgs): AdamParams {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = DEFAULT_EPSILON, amsgrad = false } = args;
  checkFraction(where, 'beta1', beta1);
  checkFraction(where, 'beta2', beta2);
  checkPositive(where, 'epsilon', epsilon);
  checkBoolean(where, 'amsgrad', amsgrad);
  return { beta1, beta2, epsilon, amsgrad };
}

/** Adam's slots, named as tfjs names them (`m`, `v`; AMSGrad adds `vhat`). */
export function adamSlots(p: AdamParams, slot: (name: string) => Variable): AdamSlots {
  return { m: slot('m'), v: slot('v'), ...(p.amsgrad ? { vhat: slot('vhat') } : {}) };
}

/**
 * One Adam update of `variable` in place: the backend's fused kernel when it has one (one pass instead of about a
 * dozen elementwise kernels), else the composed ops below, which the fused kernels match bit for bit.
 */
export function adamUpdate(p: AdamParams, variable: Variable, g: Tensor, slots: AdamSlots, info: StepInfo): void {
  const { backend } = variable;
  if (backend.adamUpdate !== undefined && slots.vhat === undefined && g.backend === backend) {
    backend.adamUpdate(variable.storage, g.storage, slots.m.storage, slots.v.storage, {
      learningRate: info.learningRate,
      beta1: p.beta1,
      beta2: p.beta2,
      epsilon: p.epsilon,
      step: info.step,
    });
    return;
  }
  composedAdamUpdate(p, variable, g, slots, info);
}

/** Adam composed of elementwise ops: the reference for the fused kernels, and the path for AMSGrad. */
export function composedAdamUpdate(
  p: AdamParams,
  variable: Variable,
  g: Tensor,
  slots: AdamSlots,
  info: StepInfo,
): void {
  const m = add(mul(slots.m, p.beta1), mul(g, 1 - p.beta1));
  const v = add(mul(slots.v, p.beta2), mul(square(g), 1 - p.beta2));
  slots.m.assign(m);
  slots.v.assign(v);
  let vUsed = v;
  if (slots.vhat !== undefined) {
    vUsed = maximum(slots.vhat, v);
    slots.vhat.assign(vUsed);
  }
  const mHat = div(m, 1 - p.beta1 ** info.step);
  const vHat = div(vUsed, 1 - p.beta2 ** info.step);
  variable.assign(sub(variable, mul(div(mHat, add(sqrt(vHat), p.epsilon)), info.learningRate)));
}

export class Adam extends Optimizer<AdamSlots, AdamConfig> {
  readonly className = 'Adam';
  readonly params: AdamParams;

  constructor(args: AdamArgs = {}) {
    super('adam', args, 0.001);
    this.params = adamParams(this.where, args);
  }

  getConfig(): AdamConfig {
    return { ...this.baseConfig(), ...this.params };
  }

  protected createSlots(variable: Variable): AdamSlots {
    return adamSlots(this.params, (name) => this.slot(variable, name));
  }

  protected update(variable: Variable, g: Tensor, slots: AdamSlots, info: StepInfo): void {
    adamUpdate(this.params, variable, g, slots, info);
  }
}

export const adam = (args: AdamArgs = {}): Adam => new Adam(args);
