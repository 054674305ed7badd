/**
 * What the entries bundle. Vite builds `cnnlab` (src/index.ts) as a browser library: the bundle must not import any
 * Node built-in (a `node:` module, or fs/path/process by bare name). Neither `cnnlab` nor `cnnlab/node` may reach
 * Vega or Vega-Lite, even through a dynamic import: they draw the technique lab's charts, and only `cnnlab/lab`
 * (the CLI's `cnnlab lab`) loads them.
 */
import path from 'node:path';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';

interface Bundle {
  /** The code of every chunk, dynamic ones included. */
  readonly code: string;
  /** The files bundled into any chunk. */
  readonly moduleIds: readonly string[];
}

/** Bundles `entry` in memory: for browsers, or for Node with every package inlined (only built-ins stay external). */
async function bundle(entry: string, platform: 'browser' | 'node'): Promise<Bundle> {
  const input = path.resolve(entry);
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    ...(platform === 'node' ? { ssr: { noExternal: true, target: 'node' as const } } : {}),
    build:
      platform === 'node'
        ? { ssr: input, write: false, minify: false, target: 'node20', rolldownOptions: { output: { format: 'es' } } }
        : { write: false, lib: { entry: input, formats: ['es'], fileName: 'cnnlab' }, minify: false, target: 'es2022' },
  });
  if (!Array.isArray(result) && !('output' in result))
    throw new Error(`bundling ${entry}: expected the build's output, received a watcher`);
  const chunks = (Array.isArray(result) ? result : [result])
    .flatMap((o) => o.output)
    .filter((c): c is Rolldown.OutputChunk => c.type === 'chunk');
  return { code: chunks.map((c) => c.code).join('\n'), moduleIds: chunks.flatMap((c) => c.moduleIds) };
}

/** The bundled files of the vega and vega-lite packages (and vega-* packages they depend on). */
const vegaModules = (b: Bundle): string[] =>
  b.moduleIds.filter((id) => /[/\\]node_modules[/\\]vega(-[\w-]+)?[/\\]/.test(id));

describe('bundles', () => {
  it('bundles the core for browsers without Node built-ins or Vega', async () => {
    const core = await bundle('src/index.ts', 'browser');
    expect(core.code.length).toBeGreaterThan(10_000);
    expect(core.code).toContain('class Sequential');
    expect(core.code).not.toMatch(
      /from\s+["']node:|require\(["'](node:)?(fs|path|os|child_process|worker_threads)["']\)|from\s+["'](fs|path|os|child_process)["']/,
    );
    expect(core.moduleIds).toContain(path.resolve('src/model/sequential.ts'));
    expect(vegaModules(core)).toEqual([]);
  }, 60_000);

  it('bundles cnnlab/node without Vega', async () => {
    const node = await bundle('src/node/index.ts', 'node');
    expect(node.moduleIds).toContain(path.resolve('src/node/data/mnist.ts'));
    expect(vegaModules(node)).toEqual([]);
  }, 60_000);

  it('finds Vega where it is used: cnnlab/lab loads it to draw the report', async () => {
    const lab = await bundle('src/node/lab/index.ts', 'node');
    expect(vegaModules(lab).some((id) => /[/\\]node_modules[/\\]vega-lite[/\\]/.test(id))).toBe(true);
    expect(vegaModules(lab).some((id) => /[/\\]node_modules[/\\]vega[/\\]/.test(id))).toBe(true);
  }, 60_000);
});
