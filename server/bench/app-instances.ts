import { type ChildProcess, spawn } from 'node:child_process';

/**
 * The app as `npm start` runs it after the build (server/entry-points/cli/start.ts: our /api edge, Next.js for pages,
 * the janitor), as separate processes on their own ports, all against one database. The bench prepares
 * that database itself; the janitor finds nothing in doubt, so only the request path does work.
 */

export interface AppInstances {
  ports: number[];
  /** Each instance's process id (the CPU split of server/bench/process-cpu.ts). */
  pids: number[];
  stop(): Promise<void>;
}

/** Instances not stopped yet, so an interrupted bench (Ctrl-C) can stop them: see stopAllAppInstances. */
const running = new Set<() => Promise<void>>();

export async function stopAllAppInstances(): Promise<void> {
  await Promise.all([...running].map((stop) => stop()));
}

async function waitUntilHealthy(port: number, app: ChildProcess) {
  for (let i = 0; i < 120; i++) {
    if (app.exitCode !== null) throw new Error(`the app on port ${port} exited with ${app.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app on port ${port} did not become healthy`);
}

function stopProcess(app: ChildProcess): Promise<void> {
  if (app.exitCode !== null || !app.pid) return Promise.resolve();
  const pid = app.pid;
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      if (app.exitCode === null) process.kill(-pid, 'SIGKILL');
      resolve();
    }, 10_000);
    app.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    process.kill(-pid, 'SIGTERM');
  });
}

export async function startAppInstances(options: {
  cwd: string;
  ports: number[];
  env: Record<string, string>;
  /** Write a V8 CPU profile of each instance into this directory when it stops. */
  cpuProfileDir?: string;
}): Promise<AppInstances> {
  for (const port of options.ports) {
    const taken = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (taken) throw new Error(`port ${port} is already in use: stop what runs there and bench again`);
  }
  const apps = options.ports.map((port) =>
    spawn(
      process.execPath,
      [
        ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
        '--import',
        'tsx',
        'server/entry-points/cli/start.ts',
      ],
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          ...options.env,
          PORT: String(port),
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
        },
        stdio: 'ignore',
        detached: true,
      },
    ),
  );
  const stop = async () => {
    running.delete(stop);
    await Promise.all(apps.map(stopProcess));
  };
  running.add(stop);
  try {
    await Promise.all(options.ports.map((port, i) => waitUntilHealthy(port, apps[i] as ChildProcess)));
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports: options.ports, pids: apps.flatMap((app) => (app.pid ? [app.pid] : [])), stop };
}
