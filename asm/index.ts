// cnnlab's WebAssembly kernels. Every export takes byte offsets into the imported memory, which the JS allocator
// (src/backend/wasm/heap.ts) manages; nothing here allocates. Offsets below heapBase() hold this module's statics.
// The heavy kernels (GEMM, convolutions, pooling, large elementwise ops, optimizer updates) run as jobs split into
// parts that several threads share (jobs.ts); the rest are called directly.
export { gemmWorkspaceBytes } from './gemm';
export { work } from './jobs';
export { protocolEcho } from './protocol.generated';
export { clip } from './elementwise';
export { reduce } from './reduce';
export { moments, batchNorm, batchNormGrad, softmax } from './norm';
export { depthwiseDxScratchBytes } from './depthwise-grad';

/** First byte the JS allocator may hand out. */
export function heapBase(): usize {
  return __heap_base;
}
