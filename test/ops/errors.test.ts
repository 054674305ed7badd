import { describe, expect, it } from 'vitest';
import { CnnlabError, ConfigError, conv2d, maxPool, reshape, ShapeError, zeros } from '../../src/index.js';

/** Runs f and returns what it threw (failing if it threw nothing). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return expect.fail('expected an error');
}

describe('op errors are typed and name the op as their place', () => {
  it('a shape problem is a ShapeError that a layer can restate under its own name', () => {
    const error = thrown(() => conv2d(zeros([1, 4, 4, 3]), zeros([3, 3, 2, 4])));
    expect(error).toBeInstanceOf(ShapeError);
    if (!(error instanceof CnnlabError)) return;
    expect(error.where).toBe('conv2d');
    const restated = error.restated("Conv2D 'c'");
    expect(restated).toBeInstanceOf(ShapeError);
    expect(restated.message).toBe(
      "Conv2D 'c': the filter's input channels (2, filter [3, 3, 2, 4]) must equal the input's channels (3, input [1, 4, 4, 3])",
    );
  });

  it('a bad argument is a ConfigError, with the same message as before', () => {
    const error = thrown(() => maxPool(zeros([1, 4, 4, 1]), { poolSize: 2, strides: [0, 1] }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error instanceof Error ? error.message : '').toBe(
      'maxPool: `strides` must be positive integers, received [0, 1]',
    );
    expect(thrown(() => reshape(zeros([2, 3]), [4, 2]))).toBeInstanceOf(ShapeError);
  });
});
