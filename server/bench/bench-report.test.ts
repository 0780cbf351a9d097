import { describe, expect, it } from 'vitest';
import { type CpuProfile, summariseCpuProfile } from './cpu-profile';
import { percentile } from './load';
import {
  type CaseRow,
  caseTable,
  gapExplanation,
  groupCommitComparison,
  NO_GROUP_COMMIT,
  type Report,
  targetVerdicts,
  withBenchSection,
} from './report';

/** The bench's arithmetic: if it is wrong, docs/benchmarks.md and the README say false things. */

describe('percentile', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('takes the nearest rank', () => {
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
  });

  it('is 0 without values', () => {
    expect(percentile([], 0.99)).toBe(0);
  });
});

function row(partial: Partial<CaseRow>): CaseRow {
  return {
    strategy: 'atomic',
    request: 'charge',
    load: 'spread',
    connections: 16,
    instances: 1,
    rps: 0,
    p50: 1,
    p95: 1,
    p99: 1,
    errors: 0,
    machineBusy: 0.9,
    ceiling: 1000,
    appSql: 800,
    ...partial,
  };
}

/** A report around the given cases, ladder and profile. */
function reportOf(parts: Pick<Report, 'cases' | 'ladder' | 'profile'>): Report {
  return { quick: true, date: 'now', machine: 'test', cpus: 2, seconds: 1, wallets: 1, ...parts };
}

describe('targetVerdicts', () => {
  it('says which targets are met and by how much the others are missed', () => {
    const verdicts = targetVerdicts([
      row({ load: 'spread', connections: 64, rps: 300, ceiling: 1000, p99: 250 }),
      row({ load: 'hot', connections: 64, rps: 1200, ceiling: 1000, p99: 80 }),
      row({ request: 'pay', load: 'spread', connections: 64, rps: 100, ceiling: 1000, p99: 99 }),
      row({ strategy: 'for-update', load: 'hot', connections: 64, rps: 400, ceiling: 1000 }),
    ]);
    expect(verdicts).toEqual([
      'missed: atomic wallet.charge spread at 64 connections reaches 30.0% of pgbench, 5.0 points short of 35%',
      'met: atomic wallet.charge hot at 64 connections reaches 120.0% of pgbench (target 100%)',
      'missed: atomic wallet.charge spread p99 at 64 connections is 250 ms, 2.5× the 100 ms target',
      'met: atomic wallet.charge hot p99 at 64 connections is 80 ms (target < 100 ms)',
      'met: atomic wallet.pay spread p99 at 64 connections is 99 ms (target < 100 ms)',
      'met: atomic is 3.00× FOR UPDATE on the hot wallet at 64 connections (target 3×)',
    ]);
  });

  it('never rounds a miss up to the target', () => {
    expect(targetVerdicts([row({ load: 'hot', connections: 16, rps: 996, ceiling: 1000 })])).toEqual([
      'missed: atomic wallet.charge hot at 16 connections reaches 99.6% of pgbench, 0.4 points short of 100%',
    ]);
    expect(
      targetVerdicts([
        row({ load: 'hot', connections: 16, rps: 299, ceiling: 1000 }),
        row({ strategy: 'for-update', load: 'hot', connections: 16, rps: 100 }),
      ]),
    ).toContain('missed: atomic is 2.99× FOR UPDATE on the hot wallet at 16 connections (target 3×)');
  });

  it('judges purchases’ p99 at 64 connections, never their throughput, and not the other strategies’', () => {
    const verdicts = targetVerdicts([
      row({ request: 'pay', load: 'spread', connections: 16, rps: 100, ceiling: 1000, p99: 300 }),
      row({ request: 'pay', load: 'hot', connections: 64, rps: 100, ceiling: 1000, p99: 150 }),
      row({ strategy: 'for-update', request: 'pay', load: 'hot', connections: 64, rps: 10, p99: 900 }),
      row({ strategy: NO_GROUP_COMMIT, load: 'hot', connections: 64, rps: 10, p99: 900 }),
    ]);
    expect(verdicts).toEqual([
      'missed: atomic wallet.pay hot p99 at 64 connections is 150 ms, 1.5× the 100 ms target',
    ]);
  });

  it('judges only single-instance cases against the targets, and not the one-in-flight case', () => {
    expect(targetVerdicts([row({ instances: 2, rps: 900 })])).toEqual([]);
    expect(targetVerdicts([row({ connections: 1, rps: 400, ceiling: 0 })])).toEqual([]);
  });
});

describe('groupCommitComparison', () => {
  it('puts atomic charges and purchases with group commit beside the same case without, one in flight apart', () => {
    expect(
      groupCommitComparison([
        row({ load: 'hot', connections: 64, rps: 3000, p99: 40 }),
        row({ strategy: NO_GROUP_COMMIT, load: 'hot', connections: 64, rps: 1000, p99: 120 }),
        row({ request: 'pay', load: 'hot', connections: 64, rps: 900, p99: 70 }),
        row({ strategy: NO_GROUP_COMMIT, request: 'pay', load: 'hot', connections: 64, rps: 600, p99: 150 }),
        row({ load: 'spread', connections: 16, rps: 900 }),
        row({ connections: 1, rps: 400, p50: 2.1, p99: 4, ceiling: 0 }),
        row({ strategy: NO_GROUP_COMMIT, connections: 1, rps: 410, p50: 2.4, p99: 5, ceiling: 0 }),
      ]),
    ).toEqual([
      'charge hot at 64 connections: 3,000 req/s with group commit, 1,000 without (3.00×); p99 40 ms against 120 ms',
      'pay hot at 64 connections: 900 req/s with group commit, 600 without (1.50×); p99 70 ms against 150 ms',
      'one request in flight: p50 2.1 ms with group commit, 2.4 ms without (no added latency); p99 4.0 ms against 5.0 ms',
    ]);
  });

  it('says how much latency group commit adds with one in flight when it does', () => {
    expect(
      groupCommitComparison([
        row({ connections: 1, rps: 400, p50: 3, p99: 4, ceiling: 0 }),
        row({ strategy: NO_GROUP_COMMIT, connections: 1, rps: 410, p50: 2.5, p99: 5, ceiling: 0 }),
      ]),
    ).toEqual([
      'one request in flight: p50 3.0 ms with group commit, 2.5 ms without (0.5 ms more); p99 4.0 ms against 5.0 ms',
    ]);
  });
});

describe('gapExplanation', () => {
  it('puts the framework-only request beside the ceiling, applies Little’s law, and explains a second instance', () => {
    const report = reportOf({
      cases: [
        row({ connections: 16, rps: 800, ceiling: 4000 }),
        row({ connections: 64, rps: 800, ceiling: 4000, p99: 200, machineBusy: 0.97 }),
        row({ connections: 64, rps: 790, ceiling: 4000, instances: 2 }),
      ],
      ladder: [
        { key: 'framework', step: 'auth.me', rps: 1600, p50: 1, p95: 1, p99: 1, errors: 0, machineBusy: 1 },
      ],
      profile: [],
    });
    const [framework, littlesLaw, alone, instances] = gapExplanation(report);
    expect(alone).toContain('charge spread: 16 ms, the app 80 ms');
    expect(framework).toContain('reaches 1,600 req/s: 40% of the spread ceiling');
    expect(littlesLaw).toContain('at 800 req/s each takes 80 ms on average');
    expect(instances).toContain("Two app instances reach 790 req/s against one instance's 800");
    expect(instances).toContain('already 97% busy');
  });
});

describe('gapExplanation at 16 connections', () => {
  it('says what a charge costs the app beside the framework-only request when a 16-connection target is missed', () => {
    const report = reportOf({
      cases: [
        row({ load: 'spread', connections: 16, rps: 500, ceiling: 1700 }),
        row({ load: 'hot', connections: 16, rps: 800, ceiling: 700 }),
      ],
      ladder: [
        { key: 'framework', step: 'auth.me', rps: 1250, p50: 1, p95: 1, p99: 1, errors: 0, machineBusy: 1 },
        { key: 'charge', step: 'wallet.charge', rps: 500, p50: 1, p95: 1, p99: 1, errors: 0, machineBusy: 1 },
      ],
      profile: [],
    });
    const line = gapExplanation(report).find((l) => l.startsWith('At 16 connections'));
    expect(line).toContain('(missed: spread)');
    expect(line).toContain('a charge costs its one thread 2.0 ms');
    expect(line).toContain('already takes 0.8 ms');
  });

  it('sets each p99 miss at 64 connections beside what PostgreSQL alone takes on average', () => {
    const report = reportOf({
      cases: [
        row({ load: 'spread', connections: 64, rps: 640, ceiling: 1600, p99: 180 }),
        row({ request: 'pay', load: 'hot', connections: 64, rps: 200, ceiling: 256, p99: 600 }),
        row({ load: 'hot', connections: 64, rps: 800, ceiling: 400, p99: 90 }),
      ],
      ladder: [],
      profile: [],
    });
    expect(gapExplanation(report).find((l) => l.startsWith('PostgreSQL alone'))).toBe(
      'PostgreSQL alone, with the same 64 clients and one transaction at a time (pgbench, the ceiling’s SQL), takes on average: charge spread: 40 ms, the app 100 ms (p99 180 ms); pay hot: 250 ms (past 100 ms on average: one transaction per request cannot meet the target there), the app 320 ms (p99 600 ms).',
    );
  });

  it('sets a p99 miss beside PostgreSQL’s own p99 and says who used the CPU meanwhile', () => {
    const cpu = { busy: 0.9, postgres: 0.42, app: 0.38, load: 0.06, other: 0.04 };
    const report = reportOf({
      cases: [
        row({ request: 'pay', connections: 64, rps: 1000, ceiling: 1280, ceilingP99: 150, p99: 120, cpu }),
        row({
          request: 'pay',
          load: 'hot',
          connections: 64,
          rps: 1000,
          ceiling: 500,
          ceilingP99: 90,
          p99: 110,
        }),
      ],
      ladder: [],
      profile: [],
    });
    const lines = gapExplanation(report);
    expect(lines.find((l) => l.startsWith('PostgreSQL alone'))).toContain(
      'pay spread: 50 ms (p99 150 ms), the app 64 ms (p99 120 ms); pay hot: 128 ms (p99 90 ms)',
    );
    // Only where the database's own p99 was no better than the app's.
    expect(lines.find((l) => l.startsWith('There ('))).toMatch(/^There \(pay spread\) PostgreSQL's own p99/);
    expect(lines.find((l) => l.startsWith('Where the machine'))).toContain(
      "during that case (shares of all 2 cores' time): pay spread: 90% busy, PostgreSQL 42%, the app 38%, the load generator 6%, the rest 4%.",
    );
  });
});

describe('gapExplanation when the machine had CPU to spare', () => {
  /** A report of one purchase case at 64 connections: 961 a second, p99 131 ms, as the bench measured. */
  const purchasesAt64 = (cpu: NonNullable<CaseRow['cpu']>, partial: Partial<CaseRow> = {}) =>
    reportOf({
      cases: [
        row({
          request: 'pay',
          connections: 64,
          rps: 961,
          ceiling: 775,
          p99: 131,
          machineBusy: cpu.busy,
          cpu,
          ...partial,
        }),
      ],
      ladder: [],
      profile: [],
    });
  const spare = (report: Report) =>
    gapExplanation(report).find((l) => l.startsWith('The machine had CPU to spare'));

  it('works out from the run what one PostgreSQL backend can do against what the p99 target needs', () => {
    const report = purchasesAt64({ busy: 0.72, postgres: 0.41, app: 0.25, load: 0.05, other: 0.01 });
    expect(spare(report)).toContain(
      "pay spread: PostgreSQL used 0.82 of a core for 961 a second, about 0.85 ms of its CPU each (all its processes counted: WAL writing and vacuum too), so one backend does at most about 1,172 a second; with this run's p99 at 2.0× the average, a p99 under 100 ms needs an average under 51 ms, about 1,259 a second.",
    );
    expect(spare(report)).toContain('the target needs more than one backend gives here');
  });

  it('does not say the target needs more than one backend when the run shows one has room', () => {
    // 0.1 ms of PostgreSQL's CPU a purchase: one backend could do 10,000 a second, past the 1,260 needed.
    const report = purchasesAt64(
      { busy: 0.72, postgres: 0.05, app: 0.6, load: 0.05, other: 0.02 },
      { rps: 1000, p99: 126 },
    );
    expect(spare(report)).toContain('one backend does at most about 10,000 a second');
    expect(spare(report)).not.toContain('the target needs more than one backend gives here');
  });

  it('says nothing of the kind when the machine was saturated', () => {
    const report = purchasesAt64({ busy: 0.92, postgres: 0.5, app: 0.36, load: 0.05, other: 0.01 });
    expect(spare(report)).toBeUndefined();
  });
});

describe('summariseCpuProfile', () => {
  it('charges Node internals to the nearest known caller, and keeps GC and idle apart', () => {
    const frame = (functionName: string, url = '') => ({ functionName, url });
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 5, 6, 7] },
        { id: 2, callFrame: frame('query', 'file:///app/node_modules/pg/lib/client.js'), children: [3] },
        { id: 3, callFrame: frame('writev', 'node:net'), children: [4] },
        { id: 4, callFrame: frame('toString', 'node:internal/streams') },
        { id: 5, callFrame: frame('(garbage collector)') },
        { id: 6, callFrame: frame('route', 'file:///app/server/entry-points/http/api.ts') },
        { id: 7, callFrame: frame('tick', 'node:internal/timers') },
      ],
      samples: [3, 4, 5, 6, 7],
      timeDeltas: [30, 10, 20, 30, 10],
    };
    expect(summariseCpuProfile(profile)).toEqual([
      { owner: 'PostgreSQL driver (pg)', share: 0.4 },
      { owner: 'our code (server/)', share: 0.3 },
      { owner: 'garbage collection', share: 0.2 },
      { owner: 'Node.js internals, no caller of ours', share: 0.1 },
    ]);
  });
});

describe('caseTable', () => {
  it('splits the machine’s busy CPU between PostgreSQL, the app and the load generator when it was measured', () => {
    const [, , split, whole] = caseTable([
      row({ cpu: { busy: 0.9, postgres: 0.4, app: 0.37, load: 0.06, other: 0.07 } }),
      row({ machineBusy: 0.5 }),
    ]).split('\n');
    expect(split).toMatch(/\| 90% \(40 \/ 37 \/ 6\) \|$/);
    expect(whole).toMatch(/\| 50% \|$/);
  });
});

describe('withBenchSection', () => {
  it('replaces only what is between the markers', () => {
    const readme = 'intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\noutro\n';
    expect(withBenchSection(readme, 'new table\n')).toBe(
      'intro\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\noutro\n',
    );
  });

  it('refuses a README without the markers instead of losing the table', () => {
    expect(() => withBenchSection('no markers', 'x')).toThrow(/bench:start/);
  });
});
