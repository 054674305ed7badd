import { describe, expect, it } from 'vitest';
import {
  engine,
  grads,
  keep,
  matMul,
  memory,
  mul,
  noGrad,
  reshape,
  sum,
  type Tensor,
  tensor,
  tidy,
  Variable,
} from '../src/index.js';
import { recordGradient, wrap } from '../src/ops/op.js';
import { gradcheck, randomInput } from './helpers/gradcheck.js';

describe('tidy scopes', () => {
  it('frees what a scope created, except its result and kept tensors', () => {
    const before = memory();
    let kept: Tensor | undefined;
    const result = tidy(() => {
      const a = tensor([1, 2, 3]);
      const b = mul(a, 2);
      kept = keep(mul(b, 3));
      return sum(b);
    });
    // result and kept survive; a and b (and the scalar 2 created by mul) are gone.
    expect(memory().numTensors - before.numTensors).toBe(2);
    expect(result.dataSync()[0]).toBe(12);
    expect(Array.from(kept?.dataSync() ?? [])).toEqual([6, 12, 18]);
    result.dispose();
    kept?.dispose();
    expect(memory()).toEqual(before);
  });

  it('a disposed tensor refuses use with a message that says what happened', () => {
    let inner: Tensor | undefined;
    const returned = tidy(() => {
      inner = tensor([1]);
      return { nested: [mul(inner, 2)] };
    });
    expect(returned.nested[0]?.dataSync()[0]).toBe(2); // tensors nested in the result survive
    expect(inner?.isDisposed).toBe(true);
    expect(() => inner?.dataSync()).toThrow(/was disposed; keep\(\) it to use it after tidy\(\)/);
  });

  it('reshape shares storage; the storage is freed with its last tensor', () => {
    const before = memory().numBytes;
    const a = tensor(new Float32Array(100), [10, 10]);
    const b = reshape(a, [100]);
    expect(memory().numBytes - before).toBe(400);
    a.dispose();
    expect(memory().numBytes - before).toBe(400);
    expect(b.dataSync().length).toBe(100);
    b.dispose();
    expect(memory().numBytes - before).toBe(0);
  });

  it('memory stays flat over many training-like steps without any dispose by hand', () => {
    const w = new Variable(randomInput([8, 4], 1), 'w');
    const x = tensor(new Float32Array(16 * 8).fill(0.5), [16, 8]);
    const step = (): void =>
      tidy(() => {
        const loss = sum(mul(matMul(x, w), matMul(x, w)));
        const [dw] = grads(loss, [w]);
        if (dw !== undefined) noGrad(() => w.assign(mul(dw, -1e-4)));
      });
    step();
    const after1 = memory();
    for (let i = 0; i < 500; i++) step();
    expect(memory()).toEqual(after1);
  });
});

describe('autograd', () => {
  it('sums gradients that reach a tensor along several paths: d(x·x + x)/dx = 2x + 1', () => {
    const x = tensor([3, -1]);
    x.requiresGrad = true;
    const [dx] = grads(sum(mul(x, mul(x, 1))), [x]);
    const [dy] = grads(sum(mul(x, x)), [x]);
    expect(Array.from(dx?.dataSync() ?? [])).toEqual([6, -2]);
    expect(Array.from(dy?.dataSync() ?? [])).toEqual([6, -2]);
  });

  it('gives zeros for a tensor the output does not depend on, and records nothing under noGrad', () => {
    const x = tensor([1, 2]);
    const unused = tensor([5]);
    x.requiresGrad = true;
    unused.requiresGrad = true;
    expect(Array.from(grads(sum(x), [unused])[0]?.dataSync() ?? [])).toEqual([0]);
    expect(noGrad(() => mul(x, 2)).gradNode).toBeNull();
  });

  it('gradcheck catches a wrong backward (the helper itself can fail)', () => {
    const x = randomInput([5], 3);
    // y = 2x, with a deliberately wrong gradient of 3·dy.
    const wrong = (): Tensor => {
      const y = wrap(
        engine.backend.binary('mul', x.storage, x.shape, engine.backend.fromValues([2]), [], x.shape),
        x.shape,
      );
      return recordGradient('wrong', y, [x], (dy) => [mul(dy, 3)]);
    };
    expect(() => gradcheck(wrong, [x])).toThrow(/analytic .*numeric/);
  });

  it('handles a deep chain without overflowing the stack', () => {
    const x = tensor([1]);
    x.requiresGrad = true;
    let y = x;
    for (let i = 0; i < 20000; i++) y = mul(y, 1);
    expect(grads(y, [x])[0]?.dataSync()[0]).toBe(1);
  });
});
