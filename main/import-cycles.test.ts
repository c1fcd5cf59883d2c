import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * STYLE §10: the composition root sits on top. No folder of main/ may import (even a type) from a folder that
 * imports it back, directly or through others — e.g. main/app builds the handlers, so main/handlers may not import
 * main/app. Files directly in main/ (errors.ts, start.ts) count as nodes of their own. Test files are left out
 * (a test may import from above the code it tests). Regex-based, fast: every relative `import`/`export … from`/
 * `import()` of a .ts file below main/.
 */
const MAIN = path.join(__dirname);

type Edges = Map<string, Map<string, string>>; // from → to → one example "file: specifier"

function nodeOf(file: string): string {
  const rel = path.relative(MAIN, file).split(path.sep);
  return rel.length > 1 ? rel[0]! : rel[0]!.replace(/\.ts$/, '.ts');
}

export function folderGraph(root = MAIN): Edges {
  const edges: Edges = new Map();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(p) && !name.includes('test-kit')) scan(p);
    }
  };
  const scan = (file: string): void => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
    for (const spec of specifiers) {
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(root + path.sep)) continue;
      const from = nodeOf(file);
      const to = nodeOf(target.replace(/\.js$/, '.ts'));
      if (from === to) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${path.relative(root, file)}: ${spec}`);
    }
  };
  walk(root);
  return edges;
}

/** Every elementary cycle's first occurrence found by DFS, as `a → b → … → a` with one example import per arrow. */
export function findCycles(edges: Edges): string[] {
  const cycles: string[] = [];
  const seen = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const visit = (n: string): void => {
    stack.push(n);
    onStack.add(n);
    for (const m of edges.get(n)?.keys() ?? []) {
      if (onStack.has(m)) {
        const loop = [...stack.slice(stack.indexOf(m)), m];
        const key = [...loop.slice(0, -1)].sort().join(',');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(loop.map((x, i) => (i < loop.length - 1 ? `${x} (${edges.get(x)!.get(loop[i + 1]!)})` : x)).join(' → '));
        }
      } else if (!visited.has(m)) visit(m);
    }
    stack.pop();
    onStack.delete(n);
    visited.add(n);
  };
  const visited = new Set<string>();
  for (const n of edges.keys()) if (!visited.has(n)) visit(n);
  return cycles;
}

describe('import cycles among main/ folders', () => {
  it('finds a planted cycle (the check itself works)', () => {
    const edges: Edges = new Map([
      ['app', new Map([['handlers', 'app/x.ts: ../handlers/y.js']])],
      ['handlers', new Map([['staff', 'handlers/y.ts: ../staff/z.js']])],
      ['staff', new Map([['app', 'staff/z.ts: ../app/x.js']])],
      ['core', new Map([['contract', 'core/a.ts: ../contract/b.js']])],
    ]);
    expect(findCycles(edges)).toHaveLength(1);
    expect(findCycles(edges)[0]).toMatch(/^app .* → handlers .* → staff .* → app$/);
  });

  it('has none', () => {
    const edges = folderGraph();
    expect(edges.get('app')?.has('handlers')).toBe(true); // the root wires the handlers
    expect(findCycles(edges)).toEqual([]);
  });
});
