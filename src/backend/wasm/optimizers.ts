/** Fused optimizer updates on wasm memory (asm/optimizers.ts), in place, split across threads for large variables. */
import type { AdamUpdateInfo } from '../backend.js';
import type { Storage } from '../storage.js';
import { elementParts } from './elementwise.js';
import type { WasmArena } from './storage.js';
import { floatBits } from './threads.js';

const K_ADAM = 10;

/** Adam in place (Backend.adamUpdate); the scalars are rounded to float32 here, as scalar tensors would be. */
export function adamUpdate(arena: WasmArena, variable: Storage, gradient: Storage, m: Storage, v: Storage,
  info: AdamUpdateInfo): void {
  const n = variable.length;
  const at = (s: Storage, what: string): number => arena.offsetOf(s, `adamUpdate: ${what}`, n);
  const { learningRate, beta1, beta2, epsilon, step } = info;
  arena.pool.run([K_ADAM, at(variable, 'variable'), at(gradient, 'gradient'), at(m, 'm'), at(v, 'v'), n,
    ...[learningRate, beta1, 1 - beta1, beta2, 1 - beta2, epsilon, 1 - beta1 ** step, 1 - beta2 ** step].map(floatBits)],
  elementParts(arena, n));
}
