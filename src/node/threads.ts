/**
 * Worker threads for the wasm backend in Node (worker_threads), by default as many threads as
 * `os.availableParallelism()` reports. The core cannot import Node modules, so this module installs itself as the
 * backend's thread host: call `useNodeThreads()` once (the CLI does).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { setThreadHost, type ThreadHost } from '../backend/wasm/threads.js';
import { errorMessage } from '../errors.js';

/**
 * Starts each worker from source text (`eval`), so it runs the same from dist/ and from TypeScript under a test
 * runner.
 */
export const nodeThreadHost: ThreadHost = {
  defaultThreads: availableParallelism(),
  start(threadMainSource, start) {
    const script =
      "const { parentPort } = require('node:worker_threads');\n" +
      `parentPort.once('message', (start) => (${threadMainSource})(start, () => parentPort.close()));\n`;
    const worker = new Worker(script, { eval: true });
    // A worker that fails to start leaves its parts to the other threads; say why, once, instead of crashing.
    worker.on('error', (error) => {
      console.warn(`cnnlab: a wasm worker thread stopped: ${errorMessage(error)}`);
    });
    worker.postMessage(start);
    // Workers sleep in Atomics.wait between jobs; they must not keep the process alive.
    worker.unref();
  },
};

/** Lets the wasm backend run on worker threads (as many as the cores available, unless setThreads says otherwise). */
export function useNodeThreads(): void {
  setThreadHost(nodeThreadHost);
}
