/** Fused optimizer updates on wasm memory (asm/optimizers.ts), in place, split across threads for large variables. */
import type { AdamUpdateInfo } from '../backend.js';
import type { Storage } from '../storage.js';
import { elementParts } from './elementwise.js';
import type { WasmArena } from './storage.js';

/** Adam in place (Backend.adamUpdate); the scalars are rounded to float32 here, as scalar tensors would be. */
export function adamUpdate(
  arena: WasmArena,
  variable: Storage,
  gradient: Storage,
  m: Storage,
  v: Storage,
  info: AdamUpdateInfo,
): void {
  const n = variable.length;
  const at = (s: Storage, what: string): number => arena.offsetOf(s, `adamUpdate: ${what}`, n);
  const { learningRate, beta1, beta2, epsilon, step } = info;
  arena.pool.run(
    {
      kind: 'adam',
      w: at(variable, 'variable'),
      g: at(gradient, 'gradient'),
      m: at(m, 'm'),
      v: at(v, 'v'),
      n,
      learningRate,
      beta1,
      oneMinusBeta1: 1 - beta1,
      beta2,
      oneMinusBeta2: 1 - beta2,
      epsilon,
      biasCorrection1: 1 - beta1 ** step,
      biasCorrection2: 1 - beta2 ** step,
    },
    elementParts(arena, n),
  );
}
