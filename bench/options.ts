/** Command-line options shared by the benchmarks. */
import { WasmBackend } from '../src/backend/wasm/index.js';
import { setThreads } from '../src/backend/wasm/threads.js';
import { engine } from '../src/engine.js';
import { enableRelaxedSimd } from '../src/node/relaxed-simd.js';
import { useNodeThreads } from '../src/node/threads.js';

// Before any backend exists: the wasm backend picks its build (relaxed SIMD or plain) when it is created.
enableRelaxedSimd();

/** The value after `name` on the command line, or `fallback`. */
export function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
}

/** Resolves once the backend's worker threads have started (they start asynchronously), or after 5 s. */
export async function threadsStarted(backend: WasmBackend): Promise<void> {
  for (let i = 0; i < 500 && backend.arena.pool.liveWorkers() < backend.threads - 1; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Installs Node worker threads and applies `--threads n` (empty: the cores available) to the wasm backend. */
export async function setThreadsOption(value: string): Promise<void> {
  useNodeThreads();
  setThreads(value === '' ? null : Number(value));
  const backend = engine.backend;
  if (backend instanceof WasmBackend) await threadsStarted(backend);
}
