/**
 * Node 20's V8 (11.3) has WebAssembly relaxed SIMD behind a flag; Node 22 and current browsers ship it. The wasm
 * backend's relaxed-SIMD build turns the GEMM's multiply + add into one fused multiply-add, about a third faster on
 * CPUs with FMA, so cnnlab/node turns the flag on when the host lacks the feature. The flag only adds instructions
 * the validator accepts; modules already compiled are unaffected.
 */
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdSupported } from '../backend/wasm/instance.js';

/** Turns on relaxed SIMD in this process if V8 has it behind a flag; returns whether it is available now. */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdSupported()) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return relaxedSimdSupported();
}
