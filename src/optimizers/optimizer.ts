/**
 * The optimizer base class. One `applyGradients` step: evaluate the learning rate for the step, clip the gradients,
 * then let the subclass update each variable in place from its gradient and its slots (moments, accumulators).
 * Slots are Variables created lazily on a variable's first update and keyed by the variable's identity.
 * The math runs in ops, inside `noGrad` and `tidy`, so any backend runs it and no step leaks a tensor.
 */
import { noGrad, tidy } from '../engine.js';
import { check } from '../serialization.js';
import { describe } from '../io/json.js';
import { fill, scalar } from '../ops/creation.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor, Variable } from '../tensor.js';
import { type ClipArgs, checkClipArgs, clipGradients } from './clipping.js';
import { isSchedule, type LearningRateSchedule, type SerializedSchedule, serializeSchedule } from './schedules.js';

/** A variable and the gradient of the loss with respect to it (same shape). */
export interface GradientPair {
  readonly variable: Variable;
  readonly gradient: Tensor;
}

/** An optimizer weight as `getWeights` lists it: `iter`, or a slot named `<variable name>/<slot>`. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
}

/** Options every optimizer takes. */
export interface OptimizerArgs extends ClipArgs {
  /** A fixed rate, or a schedule of the step; each optimizer has its own default. */
  readonly learningRate?: number | LearningRateSchedule;
}

/** The config fields every optimizer has. Clip options appear only when set. */
export type BaseOptimizerConfig = {
  readonly learningRate: number | SerializedSchedule;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly globalClipNorm?: number;
};

/** What one update step knows besides the variable. */
export interface StepInfo {
  /** The learning rate of this step: the schedule's value at `iterations` before the update. */
  readonly learningRate: number;
  /** 1 on the first update (Adam's t). */
  readonly step: number;
}

/** A subclass's slots for one variable, by slot name (a slot that an option turns off is absent). */
export type SlotSet = Readonly<Record<string, Variable | undefined>>;

export abstract class Optimizer<
  Slots extends SlotSet = SlotSet,
  Config extends BaseOptimizerConfig = BaseOptimizerConfig,
> {
  /** The tfjs/Keras class name ('Adam', 'SGD', …). */
  abstract readonly className: string;
  protected readonly clip: ClipArgs;
  /** The factory name, used in error messages. */
  protected readonly where: string;
  private iterationCount = 0;
  private rate: number | LearningRateSchedule;
  private readonly slotsByVariable = new Map<Variable, Slots>();

  protected constructor(where: string, args: OptimizerArgs, defaultLearningRate: number) {
    this.where = where;
    this.rate = checkLearningRate(where, args.learningRate ?? defaultLearningRate);
    checkClipArgs(where, args);
    const { clipNorm, clipValue, globalClipNorm } = args;
    this.clip = { clipNorm, clipValue, globalClipNorm };
  }

  /** Updates applied so far (Keras `iterations`). */
  get iterations(): number {
    return this.iterationCount;
  }

  /** The learning rate as set: a number or a schedule. */
  get learningRate(): number | LearningRateSchedule {
    return this.rate;
  }

  /** Replaces the learning rate (a callback lowering it, say); a schedule replaced by a number stops scheduling. */
  setLearningRate(value: number | LearningRateSchedule): void {
    this.rate = checkLearningRate(`${this.where}.setLearningRate`, value);
  }

  /** The learning rate the next update uses. */
  currentLearningRate(): number {
    const rate = this.rate;
    if (!isSchedule(rate)) return rate;
    const lr = rate(this.iterationCount);
    if (!(lr >= 0) || !Number.isFinite(lr)) {
      throw new Error(
        `${this.where}: the learning-rate schedule '${rate.className}' returned ${lr} at step ` +
          `${this.iterationCount}; expected a non-negative number`,
      );
    }
    return lr;
  }

  /** One optimization step: updates each variable in place from its gradient, then counts the iteration. */
  applyGradients(pairs: readonly GradientPair[]): void {
    this.checkPairs(pairs);
    const info: StepInfo = { learningRate: this.currentLearningRate(), step: this.iterationCount + 1 };
    noGrad(() =>
      tidy(() => {
        const gradients = clipGradients(
          pairs.map((pair) => pair.gradient),
          this.clip,
        );
        this.beginStep?.(info);
        pairs.forEach((pair, i) => {
          this.update(pair.variable, gradients[i] ?? pair.gradient, this.slotsOf(pair.variable), info);
        });
      }),
    );
    this.iterationCount++;
  }

  /**
   * The optimizer state in tfjs's order: `iter` (a new scalar tensor), then the slots grouped by kind and, within a
   * kind, by variable in order of first update (Adam: iter, m of each variable, v of each variable). Slot tensors
   * are the live slot Variables: read them, do not dispose them.
   */
  getWeights(): NamedTensor[] {
    const slotSets = [...this.slotsByVariable.values()];
    const kinds = Object.keys(slotSets[0] ?? {});
    const weights: NamedTensor[] = [{ name: 'iter', tensor: scalar(this.iterationCount) }];
    for (const kind of kinds) {
      for (const slots of slotSets) {
        const slot = slots[kind];
        if (slot !== undefined) weights.push({ name: slot.name, tensor: slot });
      }
    }
    return weights;
  }

  /**
   * Restores state saved by `getWeights`. `variables` are the variables the slots belong to, in the order
   * `getWeights` listed them (the order of their first update); slot values are copied, names are not checked.
   */
  setWeights(weights: readonly NamedTensor[], variables: readonly Variable[]): void {
    const where = `${this.where}.setWeights`;
    const slotSets = noGrad(() => tidy(() => variables.map((variable) => this.slotsOf(variable))));
    const kinds = Object.keys(slotSets[0] ?? {});
    const expected = 1 + kinds.length * variables.length;
    if (weights.length !== expected) {
      throw new Error(
        `${where}: expected ${expected} weights (iter, then ${kinds.join(', ') || 'no slots'} for each of ` +
          `${variables.length} variables), received ${weights.length}`,
      );
    }
    const iter = weights[0]?.tensor;
    const iterations = iter?.size === 1 ? (iter.dataSync()[0] ?? Number.NaN) : Number.NaN;
    check(where, 'iter', iterations, Number.isInteger(iterations) && iterations >= 0, 'a scalar non-negative integer');
    kinds.forEach((kind, k) => {
      slotSets.forEach((slots, j) => {
        const slot = slots[kind];
        const value = weights[1 + k * variables.length + j];
        if (slot === undefined || value === undefined) return;
        if (!shapesEqual(slot.shape, value.tensor.shape)) {
          throw new Error(
            `${where}: weight '${value.name}' has shape ${formatShape(value.tensor.shape)}, expected ` +
              `${formatShape(slot.shape)} for slot '${slot.name}'`,
          );
        }
        slot.assign(value.tensor);
      });
    });
    this.iterationCount = iterations;
  }

  /** Frees every slot variable; the optimizer starts afresh (iterations are kept). */
  dispose(): void {
    for (const slots of this.slotsByVariable.values()) {
      for (const slot of Object.values(slots)) slot?.dispose();
    }
    this.slotsByVariable.clear();
  }

  /** The options as plain values (a schedule as `{className, config}`). */
  abstract getConfig(): Config;

  protected baseConfig(): BaseOptimizerConfig {
    const learningRate = isSchedule(this.rate) ? serializeSchedule(this.rate) : this.rate;
    const clip = Object.fromEntries(Object.entries(this.clip).filter(([, value]) => value !== undefined));
    return { learningRate, ...clip };
  }

  /** The slots of one variable, each `fill`ed with its initial value. Called once per variable, inside a tidy. */
  protected abstract createSlots(variable: Variable): Slots;

  /** Updates `variable` (and its slots) in place from its already clipped gradient. Runs inside a tidy. */
  protected abstract update(variable: Variable, gradient: Tensor, slots: Slots, info: StepInfo): void;

  /** If defined, runs once per step before the variables update (Nadam advances its momentum schedule here). */
  protected beginStep?(info: StepInfo): void;

  /** A slot for `variable`, named `<variable name>/<name>`, filled with `initial`. */
  protected slot(variable: Variable, name: string, initial = 0): Variable {
    return new Variable(fill(variable.shape, initial), `${variable.name}/${name}`, false);
  }

  private slotsOf(variable: Variable): Slots {
    let slots = this.slotsByVariable.get(variable);
    if (slots === undefined) {
      slots = this.createSlots(variable);
      this.slotsByVariable.set(variable, slots);
    }
    return slots;
  }

  private checkPairs(pairs: readonly GradientPair[]): void {
    const where = `${this.where}.applyGradients`;
    if (!Array.isArray(pairs))
      throw new Error(`${where}: expected an array of {variable, gradient}, received ${describe(pairs)}`);
    const seen = new Set<Variable>();
    pairs.forEach(({ variable, gradient }, i) => {
      if (!(variable instanceof Variable)) {
        throw new Error(`${where}: entry ${i}: \`variable\` must be a Variable, received ${String(variable)}`);
      }
      if (!(gradient instanceof Tensor)) {
        throw new Error(`${where}: entry ${i}: \`gradient\` must be a Tensor, received ${String(gradient)}`);
      }
      if (seen.has(variable)) throw new Error(`${where}: variable '${variable.name}' appears more than once`);
      seen.add(variable);
      if (!shapesEqual(variable.shape, gradient.shape)) {
        throw new Error(
          `${where}: the gradient for '${variable.name}' has shape ${formatShape(gradient.shape)}, expected ` +
            formatShape(variable.shape),
        );
      }
    });
  }
}

// ---- option checks shared by the optimizers ----

function checkLearningRate(where: string, value: number | LearningRateSchedule): number | LearningRateSchedule {
  if (!isSchedule(value))
    check(where, 'learningRate', value, value >= 0, 'a non-negative number or a LearningRateSchedule');
  return value;
}

/** Throws unless 0 ≤ value < 1 (or ≤ 1 when `closed`). */
export function checkFraction(where: string, name: string, value: number, closed = false): void {
  check(where, name, value, value >= 0 && (closed ? value <= 1 : value < 1), closed ? 'in [0, 1]' : 'in [0, 1)');
}

export function checkPositive(where: string, name: string, value: number): void {
  check(where, name, value, value > 0, 'a positive number');
}

export function checkNonNegative(where: string, name: string, value: number): void {
  check(where, name, value, value >= 0, 'a non-negative number');
}

export function checkBoolean(where: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean')
    throw new Error(`${where}: \`${name}\` must be true or false, received ${String(value)}`);
}

/** The float32 machine epsilon tfjs uses as its default `epsilon` (Keras 3's default is the same 1e-7). */
export const DEFAULT_EPSILON = 1e-7;
