/** Reference 2-D convolution kernels (NHWC input, [kh, kw, in, out] filter). */
import type { Conv2DInfo } from '../backend.js';

export function conv2d(_x: Float32Array, _filter: Float32Array, _info: Conv2DInfo): Float32Array {
  throw new Error('conv2d: not implemented yet');
}

export function conv2dBackpropInput(_dy: Float32Array, _filter: Float32Array, _info: Conv2DInfo): Float32Array {
  throw new Error('conv2dBackpropInput: not implemented yet');
}

export function conv2dBackpropFilter(_x: Float32Array, _dy: Float32Array, _info: Conv2DInfo): Float32Array {
  throw new Error('conv2dBackpropFilter: not implemented yet');
}
