/**
 * Selects the backend a test project runs on (vitest.config.ts defines one project per backend), so every test
 * body — gradient checks, oracle comparisons, training — runs on each backend.
 */
import { setBackend } from '../../src/index.js';
import { enableRelaxedSimd } from '../../src/node/relaxed-simd.js';

// As cnnlab/node and the CLI do: the wasm backend then runs its relaxed-SIMD build (test/backend covers the other).
enableRelaxedSimd();

setBackend(process.env.CNNLAB_BACKEND ?? 'wasm');
