/**
 * Loss functions as Keras defines them. Each maps (yTrue, yPred) to one loss per example, [N]; the training loop
 * averages them (weighted by class weights when given). String names follow Keras and TensorFlow.js.
 */
import { abs, add, minimum, mul, square, sub } from './ops/arithmetic.js';
import { softplus } from './ops/activations.js';
import {
  binaryCrossentropy as bceOp,
  categoricalCrossentropy as cceOp,
  oneHot,
  softmaxCrossEntropy,
  sparseSoftmaxCrossEntropy,
} from './ops/losses.js';
import { mean } from './ops/reduction.js';
import { reshape } from './ops/transform.js';
import { formatShape } from './shape.js';
import type { Tensor } from './tensor.js';

export interface Loss {
  /** The Keras name, used in logs and configs ('sparse_categorical_crossentropy'). */
  readonly name: string;
  /** Per-example losses, [N]. */
  compute(yTrue: Tensor, yPred: Tensor): Tensor;
  /** Which accuracy 'accuracy' means with this loss (as Keras resolves it). */
  readonly accuracyKind: 'sparse' | 'categorical' | 'binary' | 'none';
}

export interface CrossentropyArgs {
  /** True when yPred holds logits rather than probabilities (then softmax/sigmoid is fused in, stably). */
  readonly fromLogits?: boolean;
  /** Mixes the one-hot targets with the uniform distribution: y·(1 − s) + s/K (binary: s/2). */
  readonly labelSmoothing?: number;
}

function checkSmoothing(where: string, s: number): number {
  if (!(s >= 0 && s <= 1)) throw new Error(`${where}: \`labelSmoothing\` must be in [0, 1], received ${s}`);
  return s;
}

/** Mean over the last axis for rank ≥ 2 (Keras' per-example reduction); rank 1 stays per element. */
function perExample(values: Tensor): Tensor {
  return values.rank <= 1 ? values : mean(values, -1);
}

function checkSameShape(where: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.rank !== yPred.rank || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new Error(
      `${where}: yTrue and yPred must have the same shape, received ${formatShape(yTrue.shape)} and ${formatShape(yPred.shape)}`,
    );
  }
}

/** Integer class ids [N] (or [N, 1]) against probabilities or logits [N, K]. */
export function sparseCategoricalCrossentropy(args: { readonly fromLogits?: boolean } = {}): Loss {
  const fromLogits = args.fromLogits ?? false;
  return {
    name: 'sparse_categorical_crossentropy',
    accuracyKind: 'sparse',
    compute: (yTrue, yPred) => {
      const labels = yTrue.rank === 2 && yTrue.shape[1] === 1 ? reshape(yTrue, [-1]) : yTrue;
      if (yPred.rank !== 2 || labels.rank !== 1 || labels.shape[0] !== yPred.shape[0]) {
        throw new Error(
          `sparse_categorical_crossentropy: expected yTrue [N] class ids and yPred [N, K], received ${formatShape(yTrue.shape)} and ${formatShape(yPred.shape)}`,
        );
      }
      return fromLogits ? sparseSoftmaxCrossEntropy(yPred, labels) : cceOp(yPred, oneHot(labels, yPred.shape[1] ?? 0));
    },
  };
}

/** One-hot (or soft) targets [N, K] against probabilities or logits [N, K]. */
export function categoricalCrossentropy(args: CrossentropyArgs = {}): Loss {
  const fromLogits = args.fromLogits ?? false;
  const smoothing = checkSmoothing('categorical_crossentropy', args.labelSmoothing ?? 0);
  return {
    name: 'categorical_crossentropy',
    accuracyKind: 'categorical',
    compute: (yTrue, yPred) => {
      checkSameShape('categorical_crossentropy', yTrue, yPred);
      const k = yPred.shape[yPred.rank - 1] ?? 1;
      const targets = smoothing === 0 ? yTrue : add(mul(yTrue, 1 - smoothing), smoothing / k);
      return fromLogits ? softmaxCrossEntropy(yPred, targets) : cceOp(yPred, targets);
    },
  };
}

/** Targets in [0, 1] against probabilities or logits, averaged over the last axis. */
export function binaryCrossentropy(args: CrossentropyArgs = {}): Loss {
  const fromLogits = args.fromLogits ?? false;
  const smoothing = checkSmoothing('binary_crossentropy', args.labelSmoothing ?? 0);
  return {
    name: 'binary_crossentropy',
    accuracyKind: 'binary',
    compute: (yTrue, yPred) => {
      checkSameShape('binary_crossentropy', yTrue, yPred);
      const targets = smoothing === 0 ? yTrue : add(mul(yTrue, 1 - smoothing), smoothing / 2);
      // From logits x with target z: softplus(x) − x·z, which never overflows.
      return perExample(fromLogits ? sub(softplus(yPred), mul(yPred, targets)) : bceOp(yPred, targets));
    },
  };
}

export function meanSquaredError(): Loss {
  return {
    name: 'mean_squared_error',
    accuracyKind: 'none',
    compute: (yTrue, yPred) => {
      checkSameShape('mean_squared_error', yTrue, yPred);
      return perExample(square(sub(yPred, yTrue)));
    },
  };
}

export function meanAbsoluteError(): Loss {
  return {
    name: 'mean_absolute_error',
    accuracyKind: 'none',
    compute: (yTrue, yPred) => {
      checkSameShape('mean_absolute_error', yTrue, yPred);
      return perExample(abs(sub(yPred, yTrue)));
    },
  };
}

/** Huber: ½e² for |e| ≤ δ, else δ·(|e| − ½δ); written as ½·min(|e|, δ)² + δ·(|e| − min(|e|, δ)). */
export function huber(args: { readonly delta?: number } = {}): Loss {
  const delta = args.delta ?? 1;
  if (!(delta > 0)) throw new Error(`huber: \`delta\` must be positive, received ${delta}`);
  return {
    name: 'huber',
    accuracyKind: 'none',
    compute: (yTrue, yPred) => {
      checkSameShape('huber', yTrue, yPred);
      const error = abs(sub(yPred, yTrue));
      const quadratic = minimum(error, delta);
      return perExample(add(mul(square(quadratic), 0.5), mul(sub(error, quadratic), delta)));
    },
  };
}

const BY_NAME: Readonly<Record<string, () => Loss>> = {
  sparsecategoricalcrossentropy: () => sparseCategoricalCrossentropy(),
  categoricalcrossentropy: () => categoricalCrossentropy(),
  binarycrossentropy: () => binaryCrossentropy(),
  meansquarederror: meanSquaredError,
  mse: meanSquaredError,
  meanabsoluteerror: meanAbsoluteError,
  mae: meanAbsoluteError,
  huber: () => huber(),
};

/**
 * A loss from a Keras/tfjs name ('sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', 'mse') or as
 * is.
 */
export function getLoss(identifier: string | Loss): Loss {
  if (typeof identifier !== 'string') return identifier;
  const key = identifier.replace(/_/g, '').toLowerCase();
  const make = Object.hasOwn(BY_NAME, key) ? BY_NAME[key] : undefined;
  if (make === undefined) {
    throw new Error(
      `Unknown loss '${identifier}'; known losses: sparseCategoricalCrossentropy, categoricalCrossentropy, binaryCrossentropy, meanSquaredError (mse), meanAbsoluteError (mae), huber`,
    );
  }
  return make();
}
