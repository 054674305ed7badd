/**
 * `npm run bench`: cnnlab against the JavaScript field, side by side, on the brief's model with real MNIST, batch 64,
 * Adam — cnnlab wasm on all cores and on one thread, cnnlab js, TensorFlow.js 4.22 cpu and wasm, ConvNetJS 0.3.0 —
 * then the GEMM micro-benchmark on 1 and all threads. Each configuration runs in its own process, one after another.
 *
 * Flags: --json FILE (write the figures), --quick (smaller budgets), --e2e (also time the 5-epoch CLI training run
 * end to end and its peak memory; needs `npm run build`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GemmCase } from './gemm.js';
import type { PeerResult } from './mnist.js';
import { argument } from './options.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..', '..');
const quick = process.argv.includes('--quick');
const jsonFile = argument('--json', '');
const cores = availableParallelism();

interface Config {
  readonly peer: string;
  readonly args: readonly string[];
}

const budget = (warmup: number, steps: number, seconds: number): string[] => [
  '--warmup',
  String(warmup),
  '--steps',
  String(steps),
  '--seconds',
  String(quick ? Math.min(seconds, 5) : seconds),
];

// Slow peers run a bounded number of steps: at least 3 timed, more while their time budget lasts.
const configs: Config[] = [
  { peer: 'cnnlab-wasm', args: budget(20, 400, 20) },
  { peer: 'cnnlab-wasm', args: ['--threads', '1', ...budget(20, 400, 20)] },
  { peer: 'cnnlab-js', args: budget(2, 30, 20) },
  { peer: 'tfjs-cpu', args: budget(1, quick ? 3 : 5, 60) },
  { peer: 'tfjs-wasm', args: budget(1, 3, 10) },
  { peer: 'convnetjs', args: budget(1, 20, 20) },
];

function runPeer(peer: string, args: readonly string[], nodeFlags: readonly string[] = []): unknown {
  process.stderr.write(`bench: ${peer} ${args.join(' ')}\n`);
  const child = spawnSync(process.execPath, [...nodeFlags, join(here, 'peer.js'), peer, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 24,
  });
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (child.status !== 0 || line === undefined) throw new Error(`bench: ${peer} failed (exit status ${child.status})`);
  return JSON.parse(line.slice('RESULT '.length));
}

const load = { start: loadavg()[0] ?? 0, end: 0 };
const results = configs.map(({ peer, args }) => runPeer(peer, args) as PeerResult);
const gemmSeconds = quick ? '0.2' : '0.5';
const gemm = {
  plainOneThread: runPeer('gemm', ['--threads', '1', '--seconds', gemmSeconds, '--plain-simd']) as GemmCase[],
  oneThread: runPeer('gemm', ['--threads', '1', '--seconds', gemmSeconds]) as GemmCase[],
  allThreads: runPeer('gemm', ['--threads', String(cores), '--seconds', gemmSeconds]) as GemmCase[],
};

/** The 5-epoch CLI run: wall time, its own images/s and accuracy (metrics.json), and peak memory (preloaded probe). */
function endToEnd(): Record<string, number> {
  const out = mkdtempSync(join(tmpdir(), 'cnnlab-bench-'));
  const rssFile = join(out, 'rss');
  process.stderr.write('bench: node dist/cli/bin.js train --model brief --dataset mnist --epochs 5 --batch-size 64\n');
  const start = performance.now();
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      join(here, 'rss-at-exit.js'),
      join(root, 'dist/cli/bin.js'),
      'train',
      '--model',
      'brief',
      '--dataset',
      'mnist',
      '--epochs',
      '5',
      '--batch-size',
      '64',
      '--out',
      out,
      '--run-name',
      'run',
      '--quiet',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, CNNLAB_RSS_FILE: rssFile } },
  );
  const seconds = (performance.now() - start) / 1000;
  if (child.status !== 0) throw new Error(`bench: the 5-epoch run failed (exit status ${child.status})`);
  const metrics: unknown = JSON.parse(readFileSync(join(out, 'run', 'metrics.json'), 'utf8'));
  const field = (name: string): number =>
    Number(typeof metrics === 'object' && metrics !== null ? Reflect.get(metrics, name) : Number.NaN);
  const peakRssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
  rmSync(out, { recursive: true, force: true });
  return { seconds, imagesPerSecond: field('imagesPerSecond'), testAccuracy: field('testAccuracy'), peakRssMiB };
}
const e2e = process.argv.includes('--e2e') ? endToEnd() : null;
load.end = loadavg()[0] ?? 0;

// ---- report ----
const cnnlab = results[0];
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const fixed = (value: number | null | undefined, digits: number): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
print('');
print(`cnnlab benchmark: the brief's model on real MNIST, batch 64, Adam (${new Date().toISOString().slice(0, 10)})`);
print(
  `${machine.cpu}, ${cores} cores, Node ${machine.node}; 1-minute load average ${load.start.toFixed(2)} at start, ${load.end.toFixed(2)} at end`,
);
print('');
print(
  `${'configuration'.padEnd(34)} ${'images/s'.padStart(9)} ${'ms/step'.padStart(9)} ${'vs cnnlab'.padStart(10)} ${'cnnlab ×'.padStart(9)} ${'peak RSS'.padStart(9)} ${'steps'.padStart(6)}`,
);
for (const r of results) {
  const ratio =
    r.imagesPerSecond === null || cnnlab?.imagesPerSecond == null ? null : r.imagesPerSecond / cnnlab.imagesPerSecond;
  print(
    `${r.name.padEnd(34)} ${fixed(r.imagesPerSecond, 1).padStart(9)} ${fixed(r.stepMs, 1).padStart(9)} ${(ratio === null ? '—' : `${ratio.toPrecision(3)}×`).padStart(10)} ` +
      `${(ratio === null ? '—' : `${(1 / ratio).toPrecision(3)}×`).padStart(9)} ${`${fixed(r.peakRssMiB, 0)} MiB`.padStart(9)} ${String(r.timedSteps).padStart(6)}` +
      (r.note === undefined ? '' : `  ${r.note}`),
  );
}
print('');
print(
  'GEMM, GFLOP/s (median): the plain SIMD build (multiply, add) on 1 thread, then the default relaxed-SIMD build (fused multiply-add)',
);
print(
  `${'case'.padEnd(28)} ${'m×k·k×n'.padEnd(20)} ${'plain 1'.padStart(8)} ${'1 thread'.padStart(9)} ${`${cores} threads`.padStart(10)} ${'speed-up'.padStart(9)}`,
);
gemm.oneThread.forEach((one, i) => {
  const all = gemm.allThreads[i];
  const plain = gemm.plainOneThread[i];
  print(
    `${one.name.padEnd(28)} ${one.shape.padEnd(20)} ${fixed(plain?.gflops, 1).padStart(8)} ${fixed(one.gflops, 1).padStart(9)} ` +
      `${fixed(all?.gflops, 1).padStart(10)} ${`${fixed((all?.gflops ?? Number.NaN) / one.gflops, 2)}×`.padStart(9)}`,
  );
});
if (e2e !== null) {
  print('');
  print(
    `5-epoch MNIST run (cnnlab train, wasm, ${cores} threads): ${fixed(e2e.seconds, 1)} s end to end, ` +
      `${fixed(e2e.imagesPerSecond, 0)} images/s over its epochs, test accuracy ${fixed((e2e.testAccuracy ?? Number.NaN) * 100, 2)}%, peak RSS ${fixed(e2e.peakRssMiB, 0)} MiB`,
  );
}
if (jsonFile !== '') {
  writeFileSync(
    jsonFile,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        machine,
        loadAverage: load,
        model: 'brief',
        dataset: 'mnist',
        batchSize: 64,
        optimizer: 'adam',
        cnnlab: {
          imagesPerSecond: cnnlab?.imagesPerSecond ?? null,
          stepMs: cnnlab?.stepMs ?? null,
          name: cnnlab?.name ?? '',
        },
        results,
        gemm,
        endToEnd: e2e,
      },
      null,
      2,
    )}\n`,
  );
  print(`\nwrote ${jsonFile}`);
}
