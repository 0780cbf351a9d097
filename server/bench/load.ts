import os from 'node:os';
import autocannon from 'autocannon';
import { type CpuSplit, cpuSnapshot, cpuSplit } from './process-cpu';

/**
 * HTTP load with autocannon (in the bench process, never in the app's). Latencies are collected per
 * response, so p95 is exact (autocannon's own summary has p90 and p97.5, not p95). With several ports
 * (several app instances) the connections are split evenly and the results added up.
 */

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  /** Headers and body for one request (called for every request, so each can differ). */
  build: () => { headers: Record<string, string>; body?: string };
}

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Share of the whole machine's CPU time that was busy during the run (app, database, load, all). */
  machineBusy: number;
  /** Who used it: PostgreSQL, the app instances, the load generator (absent where /proc is missing). */
  cpu?: CpuSplit;
}

/** The q-quantile (0..1) of `values` by the nearest-rank method; 0 for no values. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

function cpuTimes() {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.idle + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  }
  return { idle, total };
}

function runOne(port: number, connections: number, seconds: number, request: LoadRequest) {
  const latencies: number[] = [];
  let errors = 0;
  const done = new Promise<number>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration: seconds,
        requests: [
          {
            method: request.method,
            path: request.path,
            setupRequest: (req) => ({ ...req, ...request.build() }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result.requests.total)),
    );
    // Throughput and latencies count successful answers only; anything else is an error.
    instance.on('response', (_client, status, _bytes, responseTime) => {
      if (status >= 200 && status <= 299) latencies.push(responseTime);
      else errors++;
    });
    instance.on('reqError', () => errors++);
  });
  return done.then((total) => ({ total, latencies, errors }));
}

export async function runLoad(
  ports: number[],
  connections: number,
  seconds: number,
  request: LoadRequest,
  /** The app instances' process ids, for the CPU split. */
  appPids: readonly number[] = [],
): Promise<LoadResult> {
  const share = Math.max(1, Math.floor(connections / ports.length));
  const before = cpuTimes();
  const processesBefore = cpuSnapshot();
  const runs = await Promise.all(ports.map((port) => runOne(port, share, seconds, request)));
  const after = cpuTimes();
  const processesAfter = cpuSnapshot();
  // The machine's busy share from the same /proc snapshots as its split where there are some.
  const cpu =
    processesBefore && processesAfter ? cpuSplit(processesBefore, processesAfter, appPids) : undefined;
  const total = after.total - before.total;
  return loadResult(
    runs.flatMap((r) => r.latencies),
    runs.reduce((sum, r) => sum + r.errors, 0),
    seconds,
    cpu,
    cpu?.busy ?? (total > 0 ? 1 - (after.idle - before.idle) / total : 0),
  );
}

function loadResult(
  latencies: number[],
  errors: number,
  seconds: number,
  cpu: CpuSplit | undefined,
  machineBusy: number,
): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    errors,
    machineBusy,
    ...(cpu && { cpu }),
  };
}

export interface LoadTarget {
  ports: number[];
  request: LoadRequest;
  /** Its app instances' process ids, for the CPU split. */
  appPids: readonly number[];
}

/**
 * Several targets (for example the same app with a setting on and off) measured in turns, one second
 * each, for `seconds` each in all: A, B, A, B, ... A shared machine's speed drifts from one minute to
 * the next, by more than a small difference between the targets; in turns, the drift falls on each alike.
 */
export async function runLoadInTurns(
  targets: readonly LoadTarget[],
  connections: number,
  seconds: number,
): Promise<LoadResult[]> {
  const measured = targets.map(() => ({ latencies: [] as number[], errors: 0, splits: [] as CpuSplit[] }));
  for (let second = 0; second < seconds; second++) {
    for (const [i, target] of targets.entries()) {
      const into = measured[i];
      if (!into) continue;
      const before = cpuSnapshot();
      const share = Math.max(1, Math.floor(connections / target.ports.length));
      const runs = await Promise.all(target.ports.map((port) => runOne(port, share, 1, target.request)));
      const after = cpuSnapshot();
      for (const run of runs) {
        into.latencies.push(...run.latencies);
        into.errors += run.errors;
      }
      if (before && after) into.splits.push(cpuSplit(before, after, target.appPids));
    }
  }
  return measured.map(({ latencies, errors, splits }) => {
    // Every slice is a second long: the whole run's shares are their mean.
    const mean = (pick: (split: CpuSplit) => number) =>
      splits.reduce((sum, split) => sum + pick(split), 0) / splits.length;
    const cpu: CpuSplit | undefined = splits.length
      ? {
          busy: mean((c) => c.busy),
          postgres: mean((c) => c.postgres),
          app: mean((c) => c.app),
          load: mean((c) => c.load),
          other: mean((c) => c.other),
        }
      : undefined;
    return loadResult(latencies, errors, seconds, cpu, cpu?.busy ?? 0);
  });
}
