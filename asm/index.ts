// cnnlab's WebAssembly kernels. Every export takes byte offsets into the imported memory, which the JS allocator
// (src/backend/wasm/heap.ts) manages; nothing here allocates. Offsets below heapBase() hold this module's statics.
export { gemm, gemmWorkspaceBytes } from './gemm';
export { setConvGeometry, col2im } from './im2col';
export { unary, unaryGrad, binary, clip } from './elementwise';
export { reduce } from './reduce';
export { setPoolGeometry, maxPool, maxPoolBackprop, avgPool, avgPoolBackprop } from './pool';
export { moments, batchNorm, batchNormGrad, softmax } from './norm';

/** First byte the JS allocator may hand out. */
export function heapBase(): usize {
  return __heap_base;
}
