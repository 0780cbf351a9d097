import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** Real app server processes (server/test/app-server.ts) for tests that kill or multiply them. */

const ROOT = path.resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

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
  let heard = '';
  await new Promise<void>((resolve, reject) => {
    // A start that never ends fails here, naming what the server said, not as the test's own timeout.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms: ${output}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk) => {
      // Kept until the word is seen: it may arrive split across two chunks.
      heard = (heard + String(chunk)).slice(-200);
      if (heard.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${output}`));
    });
  });
  return { process: child, url: `http://127.0.0.1:${port}` };
}

const hasExited = (app: AppProcess) => app.process.exitCode !== null || app.process.signalCode !== null;

/**
 * SIGTERM, then SIGKILL if it has not exited within STOP_TIMEOUT_MS: callers stop a server after their
 * assertions, so a slow graceful stop must not hang them (server/entry-points/http/shutdown.test.ts tests
 * the graceful stop itself).
 */
export async function stopAppProcess(app: AppProcess): Promise<void> {
  if (hasExited(app)) return;
  app.process.kill('SIGTERM');
  await exitOf(app).catch(async () => {
    app.process.kill('SIGKILL');
    await exitOf(app);
  });
}

/**
 * Resolves when the process has exited, at once if it already has: `once(process, 'exit')` alone would
 * wait forever for an exit that happened before it was called (a killed server's 'exit' event can come
 * before the caller has seen its request fail). Fails after `timeoutMs`.
 */
export async function exitOf(app: AppProcess, timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
  if (hasExited(app)) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server (pid ${app.process.pid}) did not exit within ${timeoutMs} ms`)),
      timeoutMs,
    );
    app.process.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
