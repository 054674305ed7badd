/** Matrix product and bias addition: the ops of a dense layer. */
import { engine } from '../engine.js';
import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';

/**
 * C = op(A) · op(B) for 2-D a and b, where op transposes when asked.
 * Gradients (no transposes): dA = dC · Bᵀ, dB = Aᵀ · dC; the transposed cases follow by symmetry.
 */
export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  assertSameBackend('matMul', a, b);
  if (a.rank !== 2 || b.rank !== 2) {
    throw new ShapeError(
      'matMul',
      `expected 2-D tensors, received ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const [a0 = 0, a1 = 0] = a.shape;
  const [b0 = 0, b1 = 0] = b.shape;
  const [m, k] = transposeA ? [a1, a0] : [a0, a1];
  const [kb, n] = transposeB ? [b1, b0] : [b0, b1];
  if (k !== kb) {
    throw new ShapeError(
      'matMul',
      `inner dimensions differ: ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''}`,
    );
  }
  const out = wrap(engine.backend.matmul(a.storage, b.storage, { m, k, n, transposeA, transposeB }), [m, n]);
  return recordGradient('matMul', out, [a, b], (dy) => [
    transposeA ? matMul(b, dy, transposeB, true) : matMul(dy, b, false, !transposeB),
    transposeB ? matMul(dy, a, true, transposeA) : matMul(a, dy, !transposeA, false),
  ]);
}

/** Checks that bias is [channels] for x's last axis; returns channels. */
function checkBias(where: string, x: Tensor, bias: Tensor): number {
  assertSameBackend(where, x, bias);
  const channels = x.shape[x.rank - 1] ?? 0;
  if (x.rank === 0 || bias.rank !== 1 || channels !== bias.shape[0]) {
    throw new ShapeError(
      where,
      `bias must have shape [${channels}] for input ${formatShape(x.shape)}, received ${formatShape(bias.shape)}`,
    );
  }
  return channels;
}

/**
 * relu(biasAdd(x, bias)) in one kernel, and its gradient in one more: the same values as the two ops, with a pass
 * over the activations saved each way (Conv2D and Dense use it for activation 'relu').
 */
export function biasRelu(x: Tensor, bias: Tensor): Tensor {
  const channels = checkBias('biasRelu', x, bias);
  const out = wrap(engine.backend.biasRelu(x.storage, bias.storage, channels), x.shape);
  return recordGradient('biasRelu', out, [x, bias], (dy) => {
    const [dz, dBias] = engine.backend.biasReluGrad(dy.storage, out.storage, channels);
    return [wrap(dz, x.shape), wrap(dBias, [channels])];
  });
}

/** x + bias over the last axis (x: [..., C], bias: [C]). dBias = Σ of dy over all other axes. */
export function biasAdd(x: Tensor, bias: Tensor): Tensor {
  const channels = checkBias('biasAdd', x, bias);
  const out = wrap(engine.backend.biasAdd(x.storage, bias.storage, channels), x.shape);
  return recordGradient('biasAdd', out, [x, bias], (dy) => {
    const rows = x.size / channels;
    const dBias = wrap(engine.backend.reduce('sum', dy.storage, [rows, channels], [0]), [channels]);
    return [dy, dBias];
  });
}
