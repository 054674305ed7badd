/** Every differentiable op, as the public API exposes them. */
export { tensor, scalar, fill, zeros, ones, zerosLike, onesLike, type TensorLike } from './creation.js';
export { add, sub, mul, div, maximum, minimum, equal, greater, unary, neg, abs, sign, square, sqrt, exp, log,
  reciprocal, clipByValue } from './arithmetic.js';
export { sum, mean, max, min } from './reduction.js';
export { reshape, flatten, transpose, pad, slice } from './transform.js';
export { matMul, biasAdd, biasRelu } from './linear.js';
export * from './conv.js';
export * from './pool.js';
export * from './activations.js';
export * from './normalization.js';
export * from './dropout.js';
export * from './losses.js';
