/**
 * The lab's core (src/lab) must bundle for browsers like the rest of the core: it may import only relative modules
 * of src/ outside src/node and src/cli, and Vega-Lite's types.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('lab core is browser-safe', () => {
  it('src/lab imports no Node module and nothing Node-only of ours', async () => {
    const dir = path.resolve('src/lab');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(8);
    for (const file of files) {
      const code = await readFile(path.join(dir, file), 'utf8');
      const specifiers = [...code.matchAll(/\bfrom\s+'([^']+)'|^import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2] ?? '');
      for (const specifier of specifiers) {
        const typeOnlyVegaLite = specifier === 'vega-lite' && /import type \{[^}]*\} from 'vega-lite'/.test(code);
        const ok =
          typeOnlyVegaLite || (specifier.startsWith('.') && !/\/(node|cli)\//.test(path.resolve(dir, specifier)));
        expect(ok, `${file} imports '${specifier}'`).toBe(true);
      }
    }
  });
});
