import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The architecture's rules that the dependency checker (.dependency-cruiser.cjs, run by `npm run
 * lint`) cannot state by itself: no two folders of the product import each other in a circle, and only
 * repositories touch Prisma's models or SQL. See docs/architecture.md.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const PRODUCT = /^(server\/(building-blocks|use-cases|entry-points)|app)\//;
const isTest = (file: string) => /\.test\.tsx?$/.test(file);

interface Cruised {
  modules: { source: string; dependencies: { resolved: string; coreModule: boolean }[] }[];
}

/**
 * The domain folder a file belongs to: `server/<tier>/<folder>` (its subfolders, such as the ledger's
 * strategies/ or tRPC's routers/, are part of it), the tier itself for a file directly in it, and
 * `app/<segment>` for pages.
 */
function domainFolderOf(file: string): string {
  const parts = file.split('/');
  const depth = parts[0] === 'server' ? 3 : 2;
  return parts.slice(0, Math.min(depth, parts.length - 1)).join('/');
}

function productGraph(): Map<string, Set<string>> {
  const json = execFileSync(
    process.execPath,
    [
      'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
      'server',
      'app',
      '--config',
      '.dependency-cruiser.cjs',
      '--output-type',
      'json',
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const cruised = JSON.parse(json) as Cruised;
  const graph = new Map<string, Set<string>>();
  for (const module of cruised.modules) {
    if (!PRODUCT.test(module.source) || isTest(module.source)) continue;
    const from = domainFolderOf(module.source);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const dependency of module.dependencies) {
      if (dependency.coreModule || !PRODUCT.test(dependency.resolved)) continue;
      const to = domainFolderOf(dependency.resolved);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every circle of folders (each found once, from its first folder in sorted order). */
function folderCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const folders = [...graph.keys()].sort();
  for (const start of folders) {
    const walk = (folder: string, trail: string[]) => {
      for (const next of graph.get(folder) ?? []) {
        if (next === start) cycles.push([...trail, start]);
        else if (next > start && !trail.includes(next)) walk(next, [...trail, next]);
      }
    };
    walk(start, [start]);
  }
  return cycles;
}

function productFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const file = path.posix.join(dir, name);
    if (name === 'generated' || name === 'node_modules') return [];
    if (statSync(path.join(ROOT, file)).isDirectory()) return productFiles(file);
    return /\.tsx?$/.test(name) && !isTest(file) ? [file] : [];
  });
}

/** The files that may touch the database: repositories, the database module, the balance strategies. */
const MAY_TOUCH_SQL = [
  /\.repository\.ts$/,
  /^server\/building-blocks\/db\//,
  /^server\/building-blocks\/ledger\/strategies\//,
  // Hands the pool to rate-limiter-flexible's PostgreSQL store, which keeps its own table.
  /^server\/building-blocks\/auth\/attempt-limits\.ts$/,
  // Hands the pool to the sandbox, which keeps its state in a schema of its own.
  /^server\/entry-points\/sandbox-mount\.ts$/,
];

const TOUCHES_SQL =
  /\.(\$queryRaw|\$executeRaw|\$queryRawUnsafe|\$executeRawUnsafe)\b|\b(db|tx|database)\.[a-z]\w*\.(find\w*|create\w*|update\w*|upsert|delete\w*|aggregate|count|groupBy)\(|driverPool\(/;

describe('architecture', () => {
  const graph = productGraph();

  it('sees the product: every tier has folders and imports', () => {
    const folders = [...graph.keys()];
    for (const tier of ['server/building-blocks', 'server/use-cases', 'server/entry-points', 'app']) {
      expect(folders.some((folder) => folder.startsWith(tier))).toBe(true);
    }
    expect([...graph.values()].reduce((sum, edges) => sum + edges.size, 0)).toBeGreaterThan(50);
  });

  it('has no two domain folders importing each other in a circle', () => {
    expect(folderCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('finds a circle of folders when there is one (the check itself works)', () => {
    const circular = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);
    expect(folderCycles(circular)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('touches Prisma models and SQL only in repositories', () => {
    const offenders = productFiles('server')
      .concat(productFiles('app'))
      .filter((file) => PRODUCT.test(file) && !MAY_TOUCH_SQL.some((allowed) => allowed.test(file)))
      .filter((file) => TOUCHES_SQL.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('recognises a model call and raw SQL (the check itself works)', () => {
    expect(TOUCHES_SQL.test('await tx.refund.findMany({})')).toBe(true);
    expect(TOUCHES_SQL.test('await db.$queryRaw`SELECT 1`')).toBe(true);
    expect(TOUCHES_SQL.test('await findRefund(tx, id)')).toBe(false);
  });
});
