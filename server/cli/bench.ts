// `npm run bench [-- --quick]`: the app over HTTP beside PostgreSQL's own ceiling (pgbench doing the
// same SQL), for each balance strategy, spread over many wallets and on one hot wallet. Prints a table
// and writes docs/benchmarks.md. Fails loudly if any case breaks the books' invariants.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { checkInvariants } from '../admin/invariants.service';
import { runPgbench } from '../bench/pgbench';
import { seedBenchWallets } from '../bench/seed-wallets';
import { createDb } from '../db/client';
import { migrate } from '../db/migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../db/postgres-server';
import { PROJECT_ROOT, resolveDatabase } from './prepare-database';

const quick = process.argv.includes('--quick');
const SECONDS = quick ? 3 : 10;
const WALLETS = quick ? 2_000 : 10_000;
const CONNECTIONS = [16, 64];
const PORT = 3400;
const log = (line: string) => console.error(`[bench] ${line}`);

interface Row {
  strategy: string;
  load: 'spread' | 'hot';
  connections: number;
  rps: number;
  p50: number;
  p97_5: number;
  p99: number;
  errors: number;
  ceiling: number;
}

const server = await resolveDatabase(log);
const databaseUrl = withDatabase(server.databaseUrl, 'course_payments_bench');
const sessionSecret = randomBytes(32).toString('base64url');

async function freshDatabase() {
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  return seedBenchWallets(databaseUrl, WALLETS, sessionSecret);
}

async function startApp(strategy: string): Promise<ChildProcess> {
  const app = spawn(process.execPath, ['--import', 'tsx', 'server/cli/start.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: sessionSecret,
      PORT: String(PORT),
      BALANCE_STRATEGY: strategy,
      SEED_DEMO_DATA: 'false',
      DATABASE_POOL_SIZE: '20',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      RECOVERY_INTERVAL_MS: '600000',
      NODE_ENV: 'production',
    },
    stdio: 'ignore',
    detached: true,
  });
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`http://127.0.0.1:${PORT}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return app;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the app (${strategy}) did not start`);
}

function stopApp(app: ChildProcess) {
  if (app.pid) process.kill(-app.pid, 'SIGTERM');
  return new Promise((resolve) => setTimeout(resolve, 1_500));
}

async function load(tokens: string[], hot: boolean, connections: number) {
  const result = await autocannon({
    url: `http://127.0.0.1:${PORT}`,
    connections,
    duration: SECONDS,
    requests: [
      {
        method: 'POST',
        path: '/api/trpc/wallet.charge',
        setupRequest: (req) => {
          const token = hot ? tokens[0] : tokens[Math.floor(Math.random() * tokens.length)];
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ json: { amount: 1, requestId: randomUUID() } }),
          };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
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

if (!existsSync(path.join(PROJECT_ROOT, '.next', 'BUILD_ID'))) {
  log('building the app (next build)');
  spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
}

const redisUp = await import('ioredis').then(async ({ Redis }) => {
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
});
const strategies = quick
  ? ['atomic', 'for-update']
  : ['atomic', 'for-update', 'optimistic', ...(redisUp ? ['redis-lock'] : [])];

const ceilings = new Map<string, number>();
const rows: Row[] = [];
try {
  let tokens = await freshDatabase();
  for (const hot of [false, true]) {
    for (const connections of CONNECTIONS) {
      const ceiling = await runPgbench(databaseUrl, {
        hot,
        wallets: WALLETS,
        clients: connections,
        seconds: SECONDS,
      });
      ceilings.set(`${hot}-${connections}`, ceiling.tps);
      log(`pgbench ${hot ? 'hot' : 'spread'} c=${connections}: ${ceiling.tps.toFixed(0)} tps`);
      await assertBooks();
    }
  }
  for (const strategy of strategies) {
    tokens = await freshDatabase();
    const app = await startApp(strategy);
    try {
      for (const hot of [false, true]) {
        for (const connections of CONNECTIONS) {
          const measured = await load(tokens, hot, connections);
          const row: Row = {
            strategy,
            load: hot ? 'hot' : 'spread',
            connections,
            ...measured,
            ceiling: ceilings.get(`${hot}-${connections}`) ?? 0,
          };
          rows.push(row);
          log(`${strategy} ${row.load} c=${connections}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99} ms`);
          await assertBooks();
        }
      }
    } finally {
      await stopApp(app);
    }
  }
} finally {
  await dropDatabase(databaseUrl).catch(() => {});
  await server.stop();
}

const header =
  '| strategy | load | conns | app req/s | pgbench tps | app ÷ pgbench | p50 ms | p97.5 ms | p99 ms | errors |';
const lines = rows.map(
  (r) =>
    `| ${r.strategy} | ${r.load} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.ceiling.toFixed(0)} | ${r.ceiling ? ((r.rps / r.ceiling) * 100).toFixed(0) : '-'}% | ${r.p50} | ${r.p97_5} | ${r.p99} | ${r.errors} |`,
);
const table = [header, `|${'---|'.repeat(10)}`, ...lines].join('\n');
console.log(table);

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL at ${new URL(databaseUrl).host}`;
await mkdir(path.join(PROJECT_ROOT, 'docs'), { recursive: true });
await writeFile(
  path.join(PROJECT_ROOT, 'docs', 'benchmarks.md'),
  `# Benchmarks\n\nWritten by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString()}.\n\nMachine: ${machine}. App, load generator (autocannon, in this process) and database share it. ${SECONDS} s per case; ${WALLETS} wallets; each request is one \`wallet.charge\` of 1 won with a fresh requestId. pgbench runs the same SQL (conditional UPDATE + ledger row) with the same client counts. autocannon reports p97.5, not p95.\n\n${table}\n`,
);
