// `npm run bench [-- --quick]`: the app over HTTP beside PostgreSQL's own ceiling (pgbench doing the
// same SQL), charges and purchases, for each balance strategy, spread over many wallets and on one hot
// wallet, with one and with two app instances; then where a request's time goes. Prints the report, writes it to
// docs/benchmarks.md and the README. Fails loudly if any case breaks the books' invariants.
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb } from '../building-blocks/db/client';
import { migrate } from '../building-blocks/db/migrate';
import {
  databaseName,
  dropDatabase,
  ensureDatabase,
  withDatabase,
} from '../building-blocks/db/postgres-server';
import { PROJECT_ROOT, resolveDatabase } from '../entry-points/cli/prepare-database';
import { checkInvariants } from '../use-cases/admin/invariants';
import { type AppInstances, startAppInstances, stopAllAppInstances } from './app-instances';
import { type OwnerShare, readCpuProfile, summariseCpuProfile } from './cpu-profile';
import { type LoadRequest, runLoad, runLoadInTurns } from './load';
import { type BenchRequest, type PgbenchResult, runPgbench } from './pgbench';
import {
  type CaseRow,
  type LadderRow,
  NO_GROUP_COMMIT,
  type Report,
  renderReport,
  withBenchSection,
} from './report';
import { type BenchFixtures, seedBenchWallets } from './seed-wallets';

const log = (line: string) => console.error(`[bench] ${line}`);

/** The run's measurements beside its Markdown, so the report can be written again (`-- --render`). */
const MEASURED = path.join(PROJECT_ROOT, 'docs', 'benchmarks.json');

/** Writes the report to docs/benchmarks.md (with its measurements), the README's section and stdout. */
async function writeReport(report: Report) {
  const body = renderReport(report);
  console.log(body);
  await mkdir(path.join(PROJECT_ROOT, 'docs'), { recursive: true });
  await writeFile(path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'), `# Benchmarks\n\n${body}`);
  await writeFile(MEASURED, `${JSON.stringify(report, null, 2)}\n`);
  const readmePath = path.join(PROJECT_ROOT, 'README.md');
  await writeFile(readmePath, withBenchSection(await readFile(readmePath, 'utf8'), body));
  log('wrote docs/benchmarks.md, docs/benchmarks.json and the README’s benchmark section');
}

// `-- --render`: the last run's measurements (docs/benchmarks.json) written out again with this
// report's words, without measuring anything.
if (process.argv.includes('--render')) {
  await writeReport(JSON.parse(await readFile(MEASURED, 'utf8')) as Report);
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 3 : 10;
const WARM_UP_SECONDS = quick ? 2 : 5;
const WALLETS = quick ? 2_000 : 10_000;
// 1-won courses: every purchase of a run buys another one, the app's as pgbench's (pgbench.ts), so no two
// purchases at once wait on the same course row. Too few, and the run says so instead of measuring
// refusals.
const COURSES = quick ? 20_000 : 60_000;
const CONNECTIONS = [16, 64];
const PORTS = [3400, 3401];

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
const templateUrl = withDatabase(server.databaseUrl, 'course_payments_bench_template');
const sessionSecret = randomBytes(32).toString('base64url');

let seeded: BenchFixtures | undefined;

/**
 * The bench's database as seeded. Migrated and seeded once, as a template; every later one is a copy
 * of it (CREATE DATABASE ... TEMPLATE), seconds faster than migrating and seeding again, which every
 * case and every pgbench run would otherwise pay for. The copy keeps the sessions, so the tokens hold.
 */
async function freshDatabase(): Promise<Bench> {
  if (!seeded) {
    await dropDatabase(templateUrl);
    await ensureDatabase(templateUrl);
    await migrate(templateUrl);
    seeded = await seedBenchWallets(templateUrl, WALLETS, sessionSecret, COURSES);
  }
  await dropDatabase(databaseUrl);
  const admin = new pg.Client({ connectionString: withDatabase(server.databaseUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(
      `CREATE DATABASE ${pg.escapeIdentifier(databaseName(databaseUrl))} TEMPLATE ${pg.escapeIdentifier(databaseName(templateUrl))}`,
    );
  } finally {
    await admin.end();
  }
  return { ...seeded, purchases: { made: 0 } };
}

/** The seeded wallets and courses, and how many purchases have been sent to this database so far. */
type Bench = BenchFixtures & { purchases: { made: number } };

/** How the app moves money in a case: a balance strategy, and for atomic group commit on or off. */
interface BenchMode {
  /** As the report's table names it: the strategy, `atomic` meaning group commit on (the default). */
  label: string;
  strategy: string;
  groupCommit: 'on' | 'off';
}

const mode = (strategy: string): BenchMode => ({ label: strategy, strategy, groupCommit: 'on' });

function startApp(
  benchMode: BenchMode,
  instances: number,
  cpuProfileDir?: string,
  ports: number[] = PORTS.slice(0, instances),
) {
  const { strategy, groupCommit } = benchMode;
  return startAppInstances({
    cwd: PROJECT_ROOT,
    ports,
    cpuProfileDir,
    env: {
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: sessionSecret,
      BALANCE_STRATEGY: strategy,
      GROUP_COMMIT: groupCommit,
      DATABASE_POOL_SIZE: '20',
      // The bench's learners charge with the test charge, which exists only in sandbox mode.
      TOSS_SANDBOX: 'on',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    },
  });
}

const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token}` });

const pickWallet = (bench: Bench, hot: boolean) =>
  hot ? 0 : Math.floor(Math.random() * bench.tokens.length);

function chargeRequest(bench: Bench, hot: boolean): LoadRequest {
  return {
    method: 'POST',
    path: '/api/trpc/wallet.charge',
    build: () => ({
      headers: { 'content-type': 'application/json', ...bearer(bench.tokens[pickWallet(bench, hot)]) },
      body: JSON.stringify({ json: { amount: 1, requestId: randomUUID() } }),
    }),
  };
}

/**
 * A purchase of the next course nobody has bought yet, as pgbench's purchases each take another course
 * (past the last one the count wraps: ALREADY_PURCHASED for a wallet that owns it, an error). Buying
 * one course per wallet in turn instead would put every concurrent purchase on the same course row,
 * which pgbench never does.
 */
function payRequest(bench: Bench, hot: boolean): LoadRequest {
  return {
    method: 'POST',
    path: '/api/trpc/wallet.pay',
    build: () => {
      const wallet = pickWallet(bench, hot);
      const course = bench.courseIds[bench.purchases.made++ % bench.courseIds.length];
      return {
        headers: { 'content-type': 'application/json', ...bearer(bench.tokens[wallet]) },
        body: JSON.stringify({ json: { courseId: course, requestId: randomUUID() } }),
      };
    },
  };
}

/**
 * Before a case: every learner's token is seen once (auth.me), as a learner's first page after signing in
 * does, so the cases measure requests and not first sightings (the app keeps a verified token until it
 * expires; pgbench verifies none); then charges for WARM_UP_SECONDS at `connections`, for the JIT.
 */
async function warmUp(ports: number[], bench: Bench, connections: number) {
  // Every token to every instance: the load sends any wallet to any of them.
  const visits = ports.flatMap((port) => bench.tokens.map((token) => ({ port, token })));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let visit = visits[next++]; visit; visit = visits[next++]) {
        const answer = await fetch(`http://127.0.0.1:${visit.port}/api/trpc/auth.me`, {
          headers: bearer(visit.token),
        });
        await answer.arrayBuffer();
      }
    }),
  );
  await runLoad(ports, connections, WARM_UP_SECONDS, chargeRequest(bench, false));
}

const REQUESTS: Record<BenchRequest, (bench: Bench, hot: boolean) => LoadRequest> = {
  charge: chargeRequest,
  pay: payRequest,
};

/** Purchases in the books: pgbench's purchase scripts must each have bought a course. */
async function countPurchases() {
  const db = createDb(databaseUrl, 2);
  try {
    return await db.order.count();
  } finally {
    await db.$disconnect();
  }
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
const atomicOff: BenchMode = { label: NO_GROUP_COMMIT, strategy: 'atomic', groupCommit: 'off' };
const modes: BenchMode[] = [
  mode('atomic'),
  atomicOff,
  ...['for-update', 'optimistic', ...(redisUp ? ['redis-lock'] : [])].map(mode),
];

const ceilings = new Map<string, PgbenchResult>();
const cases: CaseRow[] = [];
const ladder: LadderRow[] = [];
let profile: OwnerShare[] = [];

async function measureCases(
  benchMode: BenchMode,
  instances: number,
  connectionCounts: number[],
  requests: BenchRequest[] = ['charge', 'pay'],
) {
  const bench = await freshDatabase();
  const app = await startApp(benchMode, instances);
  const strategy = benchMode.label;
  try {
    await warmUp(app.ports, bench, 16);
    for (const request of requests) {
      for (const hot of [false, true]) {
        for (const connections of connectionCounts) {
          const measured = await runLoad(
            app.ports,
            connections,
            SECONDS,
            REQUESTS[request](bench, hot),
            app.pids,
          );
          const key = `${request}-${hot}-${connections}`;
          const row: CaseRow = {
            strategy,
            request,
            load: hot ? 'hot' : 'spread',
            connections,
            instances,
            ...measured,
            ceiling: ceilings.get(`ceiling-${key}`)?.tps ?? 0,
            ceilingP99: ceilings.get(`ceiling-${key}`)?.p99 ?? 0,
            appSql: ceilings.get(`app-sql-${key}`)?.tps ?? 0,
          };
          cases.push(row);
          log(
            `${strategy} ×${instances} ${request} ${row.load} c=${connections}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99} ms`,
          );
          await assertBooks();
        }
      }
    }
  } finally {
    await app.stop();
  }
}

/**
 * Group commit with one request in flight: atomic charges at one connection, on and off. It must add
 * no measurable latency (a lone change goes at once); the report puts the two side by side. The two
 * run at once against one database, on two ports, and are measured in turns (runLoadInTurns): a
 * difference of a fraction of a millisecond is smaller than this machine's drift between two runs.
 */
async function measureOneInFlight() {
  const bench = await freshDatabase();
  const [on, off] = [mode('atomic'), atomicOff];
  const apps: AppInstances[] = [];
  try {
    apps.push(await startApp(on, 1, undefined, PORTS.slice(0, 1)));
    apps.push(await startApp(off, 1, undefined, PORTS.slice(1, 2)));
    await warmUp(
      apps.flatMap((app) => app.ports),
      bench,
      1,
    );
    const measured = await runLoadInTurns(
      apps.map((app) => ({ ports: app.ports, request: chargeRequest(bench, false), appPids: app.pids })),
      1,
      SECONDS,
    );
    for (const [i, benchMode] of [on, off].entries()) {
      const result = measured[i];
      if (!result) continue;
      cases.push({
        strategy: benchMode.label,
        request: 'charge',
        load: 'spread',
        connections: 1,
        instances: 1,
        ...result,
        ceiling: 0,
        appSql: 0,
      });
      log(`${benchMode.label} charge, one in flight: p50 ${result.p50} ms, p99 ${result.p99} ms`);
    }
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
  }
}

async function measureLadder() {
  const bench = await freshDatabase();
  const app = await startApp(mode('atomic'), 1);
  const anyToken = () => bench.tokens[pickWallet(bench, false)];
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
      'wallet.get (+ token check and session query, wallet read: two round trips)',
      { method: 'GET', path: '/api/trpc/wallet.get', build: () => ({ headers: bearer(anyToken()) }) },
    ],
    [
      'charge',
      'wallet.charge (the one-statement charge, session checked in it: one round trip)',
      chargeRequest(bench, false),
    ],
    ['pay', 'wallet.pay (the one-statement purchase instead)', payRequest(bench, false)],
  ];
  try {
    await warmUp(app.ports, bench, 16);
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
  const bench = await freshDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-profile-'));
  try {
    const app = await startApp(mode('atomic'), 1, dir);
    try {
      await warmUp(app.ports, bench, 16);
      await runLoad(app.ports, 16, SECONDS, chargeRequest(bench, false));
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
  for (const request of ['charge', 'pay'] as const) {
    for (const script of ['ceiling', 'app-sql'] as const) {
      for (const hot of [false, true]) {
        for (const connections of CONNECTIONS) {
          // A fresh database each time, so the hot wallet never reaches 100,000 (where every
          // transaction would become a cheap no-op and inflate the ceiling), and the courses bought
          // start again from the first.
          await freshDatabase();
          const name = `pgbench ${request} ${script} ${hot ? 'hot' : 'spread'} c=${connections}`;
          const result = await runPgbench(databaseUrl, {
            request,
            script,
            hot,
            wallets: WALLETS,
            clients: connections,
            seconds: SECONDS,
          });
          if (result.failed > 0) throw new Error(`${name}: ${result.failed} transactions failed`);
          // A purchase of a course past the seeded ones buys nothing, cheaply: it must not count.
          const purchases = request === 'pay' ? await countPurchases() : result.transactions;
          if (purchases < result.transactions) {
            throw new Error(
              `${name}: ${result.transactions} purchases ran but ${purchases} bought a course; seed more than ${COURSES} (COURSES)`,
            );
          }
          ceilings.set(`${script}-${request}-${hot}-${connections}`, result);
          log(`${name}: ${result.tps.toFixed(0)} tps, p99 ${result.p99.toFixed(0)} ms`);
          await assertBooks();
        }
      }
    }
  }
  for (const benchMode of quick ? [mode('atomic'), atomicOff, mode('for-update')] : modes) {
    // Quick mode buys only under atomic (group commit on and off), whose purchase is the one-statement
    // one; the full run buys under every other strategy too.
    const buys = benchMode.strategy === 'atomic' || !quick;
    await measureCases(benchMode, 1, CONNECTIONS, buys ? ['charge', 'pay'] : ['charge']);
  }
  if (!quick) await measureCases(mode('atomic'), 2, [64]);
  if (!quick) await measureOneInFlight();
  await measureLadder();
  await measureProfile();
} finally {
  await dropDatabase(databaseUrl).catch(() => {});
  await dropDatabase(templateUrl).catch(() => {});
  await server.stop();
}

const cpus = os.cpus();
const report: Report = {
  quick,
  date: new Date().toISOString(),
  machine: `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL at ${new URL(databaseUrl).host}`,
  cpus: cpus.length,
  seconds: SECONDS,
  wallets: WALLETS,
  cases,
  ladder,
  profile,
};
await writeReport(report);
