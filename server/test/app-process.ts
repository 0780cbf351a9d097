import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';

/** Real app server processes (server/test/app-server.ts) for tests that kill or multiply them. */

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface AppProcess {
  process: ChildProcess;
  url: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startAppProcess(databaseUrl: string, env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/test/app-server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      if (String(chunk).includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return { process: child, url: `http://127.0.0.1:${port}` };
}

export async function stopAppProcess(app: AppProcess): Promise<void> {
  if (app.process.exitCode !== null || app.process.signalCode !== null) return;
  app.process.kill('SIGTERM');
  await once(app.process, 'exit');
}
