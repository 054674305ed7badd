/**
 * No runtime import cycle in src/: a module must never be evaluated while a module it imports is half-initialized
 * (in a cycle, whichever file the entry reaches first sees the other's exports still undefined). Only imports that
 * load a module at run time count: `import type` and `export type` are erased, but under `verbatimModuleSyntax` an
 * `import { type A } from` is kept as an import of the module, so it counts. Dynamic `import()` is not followed (it
 * runs after every module has loaded).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Every .ts file under `dir` (declaration files excluded). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The files `file` loads at run time, from its static relative imports and re-exports. */
function runtimeImports(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest);
  const targets: string[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    if (ts.isImportDeclaration(statement) && statement.importClause?.phaseModifier !== ts.SyntaxKind.TypeKeyword)
      specifier = statement.moduleSpecifier;
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier;
    if (specifier !== undefined && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      targets.push(path.resolve(path.dirname(file), specifier.text.replace(/\.js$/, '.ts')));
    }
  }
  return targets;
}

/** The cycles of a graph: each strongly connected component of more than one file, or a file importing itself. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (stack.includes(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) component.push(w);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('import cycles', () => {
  it('finds a cycle through value imports, and none through type-only imports', () => {
    const graph = new Map(
      Object.entries({
        '/a.ts': runtimeImports('/a.ts', "import { b } from './b.js';\nimport type { C } from './c.js';"),
        '/b.ts': runtimeImports('/b.ts', "export { a } from './a.js';"),
        '/c.ts': runtimeImports('/c.ts', "import { type A } from './a.js';\nexport type { B } from './b.js';"),
      }),
    );
    // c imports a for its side effects only (`{ type A }` under verbatimModuleSyntax), and nothing imports c at run
    // time.
    expect(cycles(graph)).toEqual([['/a.ts', '/b.ts']]);
  });

  it('src/ has no runtime import cycle', () => {
    const root = path.resolve('src');
    const graph = new Map(sourceFiles(root).map((file) => [file, runtimeImports(file, readFileSync(file, 'utf8'))]));
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph).map((cycle) => cycle.map((file) => path.relative(root, file)))).toEqual([]);
  });
});
