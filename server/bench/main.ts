// `npm run bench [-- --quick]`: the app over HTTP beside PostgreSQL's own ceiling (pgbench doing the
// same SQL), for each balance strategy, spread over many wallets and on one hot wallet, with one and
// with two app instances; then where a request's time goes. Prints the report, writes it to
// docs/benchmarks.md and the README. Fails loudly if any case breaks the books' invariants.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../building-blocks/db/client';
import { migrate } from '../building-blocks/db/migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../building-blocks/db/postgres-server';
import { PROJECT_ROOT, resolveDatabase } from '../entry-points/cli/prepare-database';
import { checkInvariants } from '../use-cases/admin/invariants';
import { startAppInstances, stopAllAppInstances } from './app-instances';
import { type OwnerShare, readCpuProfile, summariseCpuProfile } from './cpu-profile';
import { type LoadRequest, runLoad } from './load';
import { runPgbench } from './pgbench';
import { type CaseRow, type LadderRow, renderReport, withBenchSection } from './report';
import { seedBenchWallets } from './seed-wallets';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 3 : 10;
const WARM_UP_SECONDS = 5;
const WALLETS = quick ? 2_000 : 10_000;
const CONNECTIONS = [16, 64];
const PORTS = [3400, 3401];
const log = (line: string) => console.error(`[bench] ${line}`);

const server = await resolveDatabase(log);
// Ctrl-C: the app instances run in their own process groups, so stop them (and the database) here.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the app instances`);
    void stopAllAppInstances()
      .then(() => server.stop())
      .finally(() => process.exit(130));
  });
}
const databaseUrl = withDatabase(server.databaseUrl, 'course_payments_bench');
const sessionSecret = randomBytes(32).toString('base64url');

async function freshDatabase() {
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  return seedBenchWallets(databaseUrl, WALLETS, sessionSecret);
}

function startApp(strategy: string, instances: number, cpuProfileDir?: string) {
  return startAppInstances({
    cwd: PROJECT_ROOT,
    ports: PORTS.slice(0, instances),
    cpuProfileDir,
    env: {
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: sessionSecret,
      BALANCE_STRATEGY: strategy,
      DATABASE_POOL_SIZE: '20',
      // The bench's learners charge with the test charge, which exists only in sandbox mode.
      TOSS_SANDBOX: 'on',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    },
  });
}

const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token}` });

function chargeRequest(tokens: string[], hot: boolean): LoadRequest {
  return {
    method: 'POST',
    path: '/api/trpc/wallet.charge',
    build: () => ({
      headers: {
        'content-type': 'application/json',
        ...bearer(hot ? tokens[0] : tokens[Math.floor(Math.random() * tokens.length)]),
      },
      body: JSON.stringify({ json: { amount: 1, requestId: randomUUID() } }),
    }),
  };
}

async function assertBooks() {
  const db = createDb(databaseUrl, 2);
  try {
    const violations = await checkInvariants(db);
    if (violations.length) {
      console.error(violations.slice(0, 10));
      throw new Error(`INVARIANTS VIOLATED: ${violations.length}`);
    }
  } finally {
    await db.$disconnect();
  }
}

async function redisAnswers() {
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  const up = await redis.connect().then(
    () => true,
    () => false,
  );
  redis.disconnect();
  return up;
}

/** Whether `.next` is missing or older than any source it was built from. */
function buildIsStale(): boolean {
  const buildId = path.join(PROJECT_ROOT, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const builtAt = statSync(buildId).mtimeMs;
  const sources = [
    'app',
    'server',
    'prisma',
    'public',
    'next.config.mjs',
    'tsconfig.json',
    'package.json',
    'package-lock.json',
  ];
  const newer = (file: string): boolean => {
    const stat = statSync(file);
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt;
    return readdirSync(file).some((name) => newer(path.join(file, name)));
  };
  return sources.some(
    (source) => existsSync(path.join(PROJECT_ROOT, source)) && newer(path.join(PROJECT_ROOT, source)),
  );
}

if (buildIsStale()) {
  log('building the app (next build): the build is missing or older than the sources');
  const build = spawnSync(
    process.execPath,
    [path.join(PROJECT_ROOT, 'node_modules/next/dist/bin/next'), 'build'],
    { cwd: PROJECT_ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error('next build failed');
}

const redisUp = await redisAnswers();
if (!redisUp) log('no Redis answers at REDIS_URL: the redis-lock strategy is left out');
const strategies = ['atomic', 'for-update', 'optimistic', ...(redisUp ? ['redis-lock'] : [])];

const ceilings = new Map<string, number>();
const cases: CaseRow[] = [];
const ladder: LadderRow[] = [];
let profile: OwnerShare[] = [];

async function measureCases(strategy: string, instances: number, connectionCounts: number[]) {
  const tokens = await freshDatabase();
  const app = await startApp(strategy, instances);
  try {
    await runLoad(app.ports, 16, WARM_UP_SECONDS, chargeRequest(tokens, false));
    for (const hot of [false, true]) {
      for (const connections of connectionCounts) {
        const measured = await runLoad(app.ports, connections, SECONDS, chargeRequest(tokens, hot));
        const row: CaseRow = {
          strategy,
          load: hot ? 'hot' : 'spread',
          connections,
          instances,
          ...measured,
          ceiling: ceilings.get(`ceiling-${hot}-${connections}`) ?? 0,
          appSql: ceilings.get(`app-sql-${hot}-${connections}`) ?? 0,
        };
        cases.push(row);
        log(
          `${strategy} ×${instances} ${row.load} c=${connections}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99} ms`,
        );
        await assertBooks();
      }
    }
  } finally {
    await app.stop();
  }
}

async function measureLadder() {
  const tokens = await freshDatabase();
  const app = await startApp('atomic', 1);
  const anyToken = () => tokens[Math.floor(Math.random() * tokens.length)];
  const none = () => ({ headers: {} });
  const steps: [LadderRow['key'], string, LoadRequest][] = [
    [
      'health',
      'GET /api/health (our edge, one SELECT 1)',
      { method: 'GET', path: '/api/health', build: none },
    ],
    [
      'framework',
      'auth.me, anonymous (our edge, tRPC, no database)',
      { method: 'GET', path: '/api/trpc/auth.me', build: none },
    ],
    [
      'signed-in',
      'wallet.get (+ token check and session query, wallet read)',
      { method: 'GET', path: '/api/trpc/wallet.get', build: () => ({ headers: bearer(anyToken()) }) },
    ],
    ['charge', 'wallet.charge (+ the one-statement charge)', chargeRequest(tokens, false)],
  ];
  try {
    await runLoad(app.ports, 16, WARM_UP_SECONDS, chargeRequest(tokens, false));
    for (const [key, step, request] of steps) {
      const measured = await runLoad(app.ports, 16, SECONDS, request);
      ladder.push({ key, step, ...measured });
      log(`ladder ${step}: ${measured.rps.toFixed(0)} req/s`);
    }
  } finally {
    await app.stop();
  }
  await assertBooks();
}

async function measureProfile() {
  const tokens = await freshDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-profile-'));
  try {
    const app = await startApp('atomic', 1, dir);
    try {
      await runLoad(app.ports, 16, WARM_UP_SECONDS, chargeRequest(tokens, false));
      await runLoad(app.ports, 16, SECONDS, chargeRequest(tokens, false));
    } finally {
      await app.stop();
    }
    const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
    if (file) profile = summariseCpuProfile(await readCpuProfile(path.join(dir, file)));
    else log('the app wrote no CPU profile');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

try {
  for (const script of ['ceiling', 'app-sql'] as const) {
    for (const hot of [false, true]) {
      for (const connections of CONNECTIONS) {
        // A fresh database each time, so the hot wallet never reaches 100,000 (where every
        // transaction would become a cheap no-op and inflate the ceiling).
        await freshDatabase();
        const result = await runPgbench(databaseUrl, {
          script,
          hot,
          wallets: WALLETS,
          clients: connections,
          seconds: SECONDS,
        });
        if (result.failed > 0) throw new Error(`pgbench ${script}: ${result.failed} transactions failed`);
        ceilings.set(`${script}-${hot}-${connections}`, result.tps);
        log(`pgbench ${script} ${hot ? 'hot' : 'spread'} c=${connections}: ${result.tps.toFixed(0)} tps`);
        await assertBooks();
      }
    }
  }
  for (const strategy of quick ? ['atomic', 'for-update'] : strategies) {
    await measureCases(strategy, 1, CONNECTIONS);
  }
  if (!quick) await measureCases('atomic', 2, [64]);
  await measureLadder();
  await measureProfile();
} finally {
  await dropDatabase(databaseUrl).catch(() => {});
  await server.stop();
}

const cpus = os.cpus();
const body = renderReport({
  quick,
  date: new Date().toISOString(),
  machine: `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL at ${new URL(databaseUrl).host}`,
  cpus: cpus.length,
  seconds: SECONDS,
  wallets: WALLETS,
  cases,
  ladder,
  profile,
});
console.log(body);
await mkdir(path.join(PROJECT_ROOT, 'docs'), { recursive: true });
await writeFile(path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'), `# Benchmarks\n\n${body}`);
const readmePath = path.join(PROJECT_ROOT, 'README.md');
await writeFile(readmePath, withBenchSection(await readFile(readmePath, 'utf8'), body));
log('wrote docs/benchmarks.md and the README’s benchmark section');
