import { readdirSync, readFileSync } from 'node:fs';

/**
 * Who used the machine's CPU during a case: PostgreSQL's processes, the app instances and the load
 * generator (this process), each as a share of all the machine's CPU time (every core, busy or idle),
 * read from Linux's /proc before and after. On a machine without /proc there is no split.
 */

export interface CpuSplit {
  /** All of it that was busy (the others' sum, and the rest). */
  busy: number;
  postgres: number;
  app: number;
  load: number;
  /** Everything else busy: the kernel's own threads, other services on the machine. */
  other: number;
}

export interface CpuSnapshot {
  /** Every core's time so far, busy or idle, in clock ticks. */
  machine: number;
  idle: number;
  /** Each process's user + system time so far, its ended children's included, in clock ticks, with its command name. */
  processes: Map<number, { name: string; ticks: number }>;
}

/** The machine's and every process's CPU time so far, or null without /proc. */
export function cpuSnapshot(): CpuSnapshot | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  // "cpu  user nice system idle iowait irq softirq steal ...": the first line sums every core.
  const times = (stat.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const machine = times.slice(0, 8).reduce((sum, t) => sum + t, 0);
  const idle = (times[3] ?? 0) + (times[4] ?? 0);
  const processes = new Map<number, { name: string; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const line = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (name) state ...": the name may hold spaces, so split after its closing parenthesis.
      const close = line.lastIndexOf(')');
      const fields = line.slice(close + 2).split(' ');
      // utime and stime (fields 14 and 15 of the line, 12 and 13 after the name), with cutime and cstime
      // (16 and 17): the time of its children that ended, so a PostgreSQL backend or autovacuum worker
      // that exits during a case still counts, as its postmaster's.
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      processes.set(Number(entry), { name: line.slice(line.indexOf('(') + 1, close), ticks });
    } catch {
      // The process ended while the directory was read.
    }
  }
  return { machine, idle, processes };
}

/** What each party used between two snapshots, as shares of the machine's CPU time then. */
export function cpuSplit(before: CpuSnapshot, after: CpuSnapshot, appPids: readonly number[]): CpuSplit {
  const total = after.machine - before.machine;
  const split: CpuSplit = { busy: 0, postgres: 0, app: 0, load: 0, other: 0 };
  if (total <= 0) return split;
  let named = 0;
  for (const [pid, { name, ticks }] of after.processes) {
    const used = ticks - (before.processes.get(pid)?.ticks ?? 0);
    if (used <= 0) continue;
    const party = appPids.includes(pid)
      ? 'app'
      : pid === process.pid
        ? 'load'
        : name === 'postgres'
          ? 'postgres'
          : null;
    if (!party) continue;
    split[party] += used / total;
    named += used;
  }
  const busy = total - (after.idle - before.idle);
  split.busy = busy / total;
  split.other = Math.max(0, (busy - named) / total);
  return split;
}
