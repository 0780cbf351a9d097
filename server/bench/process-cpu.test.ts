import { describe, expect, it } from 'vitest';
import { type CpuSnapshot, cpuSnapshot, cpuSplit } from './process-cpu';

const snapshot = (machine: number, idle: number, processes: [number, string, number][]): CpuSnapshot => ({
  machine,
  idle,
  processes: new Map(processes.map(([pid, name, ticks]) => [pid, { name, ticks }])),
});

describe('cpuSplit', () => {
  it('charges each process to PostgreSQL, the app or the load generator, and the rest of the busy time to others', () => {
    const before = snapshot(1000, 500, [
      [10, 'postgres', 100],
      [11, 'postgres', 50],
      [20, 'node', 300],
      [process.pid, 'node', 40],
      [30, 'redis-server', 5],
    ]);
    const after = snapshot(1200, 540, [
      [10, 'postgres', 160],
      [11, 'postgres', 60],
      // A backend started during the case: all its time is new.
      [12, 'postgres', 10],
      [20, 'node', 360],
      [process.pid, 'node', 50],
      [30, 'redis-server', 7],
    ]);
    const split = cpuSplit(before, after, [20]);
    // 200 ticks of machine time, 160 busy: PostgreSQL 80, the app 60, the load 10, the rest 10.
    expect(split.busy).toBeCloseTo(0.8);
    expect(split.postgres).toBeCloseTo(0.4);
    expect(split.app).toBeCloseTo(0.3);
    expect(split.load).toBeCloseTo(0.05);
    expect(split.other).toBeCloseTo(0.05);
  });
});

describe('cpuSnapshot', () => {
  it('sees the CPU this process burns (Linux)', () => {
    const before = cpuSnapshot();
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin += Math.sqrt(spin + 1);
    const after = cpuSnapshot();
    expect(spin).toBeGreaterThan(0);
    if (!before || !after) throw new Error('no /proc: the CPU split needs Linux');
    expect(after.processes.get(process.pid)?.name).toBe('node');
    expect(cpuSplit(before, after, []).load).toBeGreaterThan(0);
  });
});
