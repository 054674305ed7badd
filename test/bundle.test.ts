/**
 * The core must bundle for browsers: Vite builds src/index.ts as a browser library, and the bundle must not import
 * any Node built-in (a `node:` module, or fs/path/process by bare name).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';

describe('browser bundle', () => {
  it('bundles the core for browsers without Node built-ins', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'cnnlab-bundle-'));
    try {
      await build({
        configFile: false,
        logLevel: 'silent',
        build: {
          outDir,
          lib: { entry: path.resolve('src/index.ts'), formats: ['es'], fileName: 'cnnlab' },
          minify: false,
          target: 'es2022',
        },
      });
      const files = await readdir(outDir);
      const code = (await Promise.all(files.filter((f) => f.endsWith('.js')).map((f) => readFile(path.join(outDir, f), 'utf8')))).join('\n');
      expect(code.length).toBeGreaterThan(10_000);
      expect(code).toContain('class Sequential');
      expect(code).not.toMatch(/from\s+["']node:|require\(["'](node:)?(fs|path|os|child_process|worker_threads)["']\)|from\s+["'](fs|path|os|child_process)["']/);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
