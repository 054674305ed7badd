/**
 * One benchmark configuration in its own process (so each reports its own peak memory), run by run.ts:
 *   node peer.js <cnnlab-wasm|cnnlab-js|tfjs-cpu|tfjs-wasm|convnetjs|gemm>
 *     [--threads n] [--warmup n] [--steps n] [--seconds s]
 *   (gemm also takes --plain-simd: the build without fused multiply-adds)
 * Prints one line `RESULT <json>` on standard output.
 */
import { gemmBenchmark } from './gemm.js';
import type { StepBudget } from './mnist.js';
import { argument } from './options.js';
import { runCnnlab } from './peer-cnnlab.js';
import { runConvnetjs } from './peer-convnetjs.js';
import { runTfjs } from './peer-tfjs.js';

const peer = process.argv[2] ?? '';
const budget: StepBudget = {
  warmup: Number(argument('--warmup', '10')),
  steps: Number(argument('--steps', '100')),
  seconds: Number(argument('--seconds', '20')),
};
const threads = argument('--threads', '');

async function run(): Promise<unknown> {
  switch (peer) {
    case 'cnnlab-wasm':
      return runCnnlab('wasm', threads, budget);
    case 'cnnlab-js':
      return runCnnlab('js', '', budget);
    case 'tfjs-cpu':
      return runTfjs('cpu', budget);
    case 'tfjs-wasm':
      return runTfjs('wasm', budget);
    case 'convnetjs':
      return runConvnetjs(budget);
    case 'gemm':
      return gemmBenchmark(
        Number(threads === '' ? '1' : threads),
        budget.seconds,
        !process.argv.includes('--plain-simd'),
      );
    default:
      throw new Error(
        `peer: unknown configuration '${peer}'; expected cnnlab-wasm, cnnlab-js, tfjs-cpu, tfjs-wasm, convnetjs or gemm`,
      );
  }
}

process.stdout.write(`RESULT ${JSON.stringify(await run())}\n`);
// Worker threads and tfjs's handles must not keep a finished measurement alive.
process.exit(0);
