import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 18: the handler table (core/handlers.ts) imports the features, so a feature must not import it back
 * (features type their tables with core/handler-types.ts); the context and the jobs registry must not import
 * each other. This walks the imports of src-main/core (value and type imports, `import('…')` types and
 * re-exports alike) and looks for a cycle through any of those files.
 */
const root = resolve(__dirname, '../../src-main/core');
const watched = ['context.ts', 'handlers.ts', 'handler-types.ts', 'jobs/job-registry.ts', 'jobs/job-control.ts', 'actor.ts'].map((f) => join(root, f));

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = new Set<string>();
  for (const re of [/\bfrom\s+'([^']+)'/g, /\bimport\s*\(\s*'([^']+)'\s*\)/g, /^\s*import\s+'([^']+)'/gm]) {
    for (const m of text.matchAll(re)) specs.add(m[1]);
  }
  const out: string[] = [];
  for (const s of specs) {
    if (!s.startsWith('.')) continue;
    const base = resolve(dirname(file), s);
    const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => existsSync(c));
    if (found && found.startsWith(root)) out.push(found);
  }
  return out;
}

/** A path from `from` back to `from` through the import graph, or null. */
function cycleThrough(from: string): string[] | null {
  const seen = new Set<string>();
  const stack: { file: string; path: string[] }[] = importsOf(from).map((f) => ({ file: f, path: [from, f] }));
  while (stack.length) {
    const { file, path } = stack.pop()!;
    if (file === from) return path;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of importsOf(file)) stack.push({ file: next, path: [...path, next] });
  }
  return null;
}

describe('core import cycles', () => {
  for (const file of watched) {
    it(`no import cycle through ${file.slice(root.length + 1)}`, () => {
      const cycle = cycleThrough(file);
      expect(cycle?.map((f) => f.slice(root.length + 1)) ?? null).toBeNull();
    });
  }

  it('the walk sees imports (a cycle would be found)', () => {
    // core/handlers.ts imports the features, and a feature imports handler-types: both edges are seen.
    expect(importsOf(join(root, 'handlers.ts'))).toContain(join(root, 'security/security.handlers.ts'));
    expect(importsOf(join(root, 'context.ts'))).toContain(join(root, 'jobs/job-registry.ts'));
    expect(importsOf(join(root, 'security/retention.ts'))).toContain(join(root, 'handler-types.ts'));
  });
});
