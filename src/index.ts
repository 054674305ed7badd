/** cnnlab: the one public entry point. The CLI and the playground import only from here. */
import './backend/index.js';

export type { Backend, Conv2DInfo, Pool2DInfo, UnaryOp, BinaryOp } from './backend/backend.js';
export type { Storage } from './backend/storage.js';
export { engine, tidy, keep, noGrad, setBackend, getBackend, memory, type TensorContainer } from './engine.js';
export { Tensor, Variable, type NestedArray } from './tensor.js';
export { type Shape, sizeOf } from './shape.js';
export { Random } from './random.js';
export { grads } from './autograd.js';
export * from './ops/index.js';
export * as initializers from './initializers.js';
export * as regularizers from './regularizers.js';
export * as constraints from './constraints.js';
export * as activations from './activations.js';
