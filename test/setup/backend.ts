/**
 * Selects the backend a test project runs on (vitest.config.ts defines one project per backend), so every test
 * body — gradient checks, oracle comparisons, training — runs on each backend.
 */
import { setBackend } from '../../src/index.js';

setBackend(process.env.CNNLAB_BACKEND ?? 'wasm');
