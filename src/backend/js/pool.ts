/** Reference 2-D pooling kernels over NHWC input. */
import type { Pool2DInfo } from '../backend.js';

export function maxPool(_x: Float32Array, _info: Pool2DInfo): Float32Array {
  throw new Error('maxPool: not implemented yet');
}

export function maxPoolBackprop(_dy: Float32Array, _x: Float32Array, _info: Pool2DInfo): Float32Array {
  throw new Error('maxPoolBackprop: not implemented yet');
}

export function avgPool(_x: Float32Array, _info: Pool2DInfo): Float32Array {
  throw new Error('avgPool: not implemented yet');
}

export function avgPoolBackprop(_dy: Float32Array, _info: Pool2DInfo): Float32Array {
  throw new Error('avgPoolBackprop: not implemented yet');
}
