/**
 * The CLI and the technique lab are applications of the public API: inside src/ they reach the library only through
 * its entries (src/index.ts = `cnnlab`, src/node/index.ts = `cnnlab/node`, src/node/lab/index.ts = `cnnlab/lab`),
 * never a deep module, so moving the library's internals cannot break them. Every import form counts: `import`,
 * `import type`, `export … from` and `import()`.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CORE = 'src/index.ts';
const NODE = 'src/node/index.ts';
const LAB = 'src/node/lab/index.ts';

/** An application: the folders it owns, the entries it may import, and the packages it may import by name. */
interface App {
  readonly folders: readonly string[];
  readonly entries: readonly string[];
  readonly packages: readonly string[];
}

/** The lab's browser-safe core: the core entry only (its Node half lives in src/node/lab). */
const LAB_CORE: App = { folders: ['src/lab'], entries: [CORE], packages: ['vega-lite'] };
const LAB_NODE: App = { folders: ['src/node/lab', 'src/lab'], entries: [CORE, NODE], packages: ['vega', 'vega-lite'] };
const CLI: App = { folders: ['src/cli'], entries: [CORE, NODE, LAB], packages: ['commander'] };
const APPS: Readonly<Record<string, App>> = { 'src/lab': LAB_CORE, 'src/node/lab': LAB_NODE, 'src/cli': CLI };

/** A repository-relative path with forward slashes. */
const relative = (file: string): string => path.relative(process.cwd(), file).split(path.sep).join('/');

/** The specifiers of `code` (a file of `app` at `file`) that reach outside the app other than through an entry. */
function strayImports(file: string, code: string, app: App): string[] {
  const specifiers = ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
  return specifiers.filter((specifier) => {
    if (specifier.startsWith('node:')) return false;
    if (!specifier.startsWith('.')) return !app.packages.includes(specifier);
    const target = relative(path.resolve(path.dirname(file), specifier)).replace(/\.js$/, '.ts');
    if (app.entries.includes(target)) return false;
    return !app.folders.some((folder) => target.startsWith(`${folder}/`));
  });
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

describe('applications import only the public entries', () => {
  it('flags a deep import, a dynamic deep import and an unlisted package, and lets entries and own modules pass', () => {
    const code = [
      "import { engine } from '../engine.js';",
      "import type { Sequential } from '../model/sequential.js';",
      "const m = await import('../io/json.js');",
      "import { tensor } from '../index.js';",
      "import { loadMnist } from '../node/index.js';",
      "import { runLab } from '../node/lab/index.js';",
      "import { train } from './train.js';",
      "import { Command } from 'commander';",
      "import { readFile } from 'node:fs/promises';",
      "import { parse } from 'vega';",
    ].join('\n');
    expect(strayImports(path.resolve('src/cli/example.ts'), code, CLI)).toEqual([
      '../engine.js',
      '../model/sequential.js',
      '../io/json.js',
      'vega',
    ]);
    // The lab's core may not reach the Node entry, nor the lab's Node half.
    const core =
      "import { data } from '../node/index.js';\nimport { renderSvg } from '../node/lab/svg.js';\nimport { stat } from './stats.js';";
    expect(strayImports(path.resolve('src/lab/example.ts'), core, LAB_CORE)).toEqual([
      '../node/index.js',
      '../node/lab/svg.js',
    ]);
  });

  for (const [root, app] of Object.entries(APPS)) {
    it(`${root} reaches the library only through ${app.entries.join(', ')}`, async () => {
      const files = await sourceFiles(path.resolve(root));
      expect(files.length).toBeGreaterThan(5);
      const stray: string[] = [];
      for (const file of files) {
        for (const specifier of strayImports(file, await readFile(file, 'utf8'), app))
          stray.push(`${relative(file)}: '${specifier}'`);
      }
      expect(stray).toEqual([]);
    });
  }
});
