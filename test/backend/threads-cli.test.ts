/**
 * `cnnlab train --threads n`: the flag sets the wasm backend's threads, a bad value is a one-line usage error, and
 * the same seed trains to the same history bit for bit on 1 and 2 threads (kernels split into parts that compute
 * the same values whichever thread runs them).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import { setThreads } from '../../src/backend/wasm/threads.js';
import { engine, setBackend } from '../../src/engine.js';

let dir = '';
const backendBefore = engine.backend.name;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cnnlab-threads-'));
});
afterAll(async () => {
  setThreads(1);
  setBackend(backendBefore);
  await rm(dir, { recursive: true, force: true });
});

describe('cnnlab train --threads', () => {
  it('rejects a thread count that is not a positive integer', async () => {
    const result = await cli('train', '--threads', '0');
    expect(result.code).toBe(2);
    expect(result.err).toContain("--threads must be a positive integer, received '0'");
  });

  it('trains the same history on 1 and 2 threads, and leaves the backend on the threads asked for', async () => {
    const histories: string[] = [];
    for (const threads of [1, 2]) {
      const run = `t${threads}`;
      const result = await cli(
        'train',
        '--backend',
        'wasm',
        '--threads',
        String(threads),
        '--model',
        'brief',
        '--limit',
        '320',
        '--test-limit',
        '100',
        '--epochs',
        '2',
        '--out',
        dir,
        '--run-name',
        run,
        '--quiet',
        '--seed',
        '5',
      );
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      const backend = engine.backend;
      expect(backend instanceof WasmBackend ? backend.threads : 0).toBe(threads);
      const metrics = JSON.parse(await readFile(path.join(dir, run, 'metrics.json'), 'utf8')) as { history: unknown };
      histories.push(JSON.stringify(metrics.history));
    }
    expect(histories[0]).toContain('"loss":[');
    expect(histories[1]).toBe(histories[0]);
  });
});
