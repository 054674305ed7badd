/**
 * AdamW (Loshchilov & Hutter, https://arxiv.org/abs/1711.05101): Adam with decoupled weight decay, as Keras 3
 * applies it — first w ← w − lr·λ·w, then the Adam update (see adam.ts) from the unchanged gradient.
 */
import { mul, sub } from '../ops/arithmetic.js';
import type { Tensor, Variable } from '../tensor.js';
import {
  type AdamArgs,
  type AdamConfig,
  type AdamParams,
  adamParams,
  type AdamSlots,
  adamSlots,
  adamUpdate,
} from './adam.js';
import { checkNonNegative, Optimizer, type StepInfo } from './optimizer.js';

export interface AdamWArgs extends AdamArgs {
  /** λ; default 0.004 (Keras 3). */
  readonly weightDecay?: number;
}

export type AdamWConfig = AdamConfig & { readonly weightDecay: number };

export class AdamW extends Optimizer<AdamSlots, AdamWConfig> {
  readonly className = 'AdamW';
  readonly params: AdamParams;
  readonly weightDecay: number;

  constructor(args: AdamWArgs = {}) {
    super('adamw', args, 0.001);
    this.params = adamParams(this.where, args);
    const { weightDecay = 0.004 } = args;
    checkNonNegative(this.where, 'weightDecay', weightDecay);
    this.weightDecay = weightDecay;
  }

  getConfig(): AdamWConfig {
    return { ...this.baseConfig(), ...this.params, weightDecay: this.weightDecay };
  }

  protected createSlots(variable: Variable): AdamSlots {
    return adamSlots(this.params, (name) => this.slot(variable, name));
  }

  protected update(variable: Variable, g: Tensor, slots: AdamSlots, info: StepInfo): void {
    if (this.weightDecay !== 0) variable.assign(sub(variable, mul(variable, info.learningRate * this.weightDecay)));
    adamUpdate(this.params, variable, g, slots, info);
  }
}

export const adamw = (args: AdamWArgs = {}): AdamW => new AdamW(args);
