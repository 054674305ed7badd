/** Every differentiable op, as the public API exposes them. */
export { tensor, scalar, fill, zeros, ones, zerosLike, onesLike, type TensorLike } from './creation.js';
export { add, sub, mul, div, maximum, minimum, equal, greater, unary, neg, abs, sign, square, sqrt, exp, log,
  reciprocal, clipByValue } from './arithmetic.js';
export { sum, mean, max, min } from './reduction.js';
export { reshape, flatten, transpose, pad, slice } from './transform.js';
export { matMul, biasAdd, biasRelu } from './linear.js';
export * from './conv.js';
export { depthwiseConv2d, depthwiseConv2dInfo, depthwiseConv2dOutputShape, separableConv2d } from './depthwise.js';
export { conv2dTranspose, conv2dTransposeOutputShape, deconvOutputLength, type Conv2DTransposeOptions } from './conv-transpose.js';
export { upSampling2d, upSampling2dOutputShape, type Interpolation } from './upsample.js';
export { concat } from './merge.js';
export { cropping2d, cropping2dOutputShape, type Cropping2D } from './crop.js';
export { layerNorm, type LayerNormOptions } from './layer-norm.js';
export { prelu } from './prelu.js';
export * from './pool.js';
export * from './activations.js';
export * from './normalization.js';
export * from './dropout.js';
export * from './losses.js';
