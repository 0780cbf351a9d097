// `npm start` (after `next build`) and `npm run dev`: prepares the database, then serves the app.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { db } from '../db/client';
import { DEMO_LEARNER } from '../db/seed';
import { env } from '../env';
import { type RecoveryWorker, startRecoveryWorker } from '../recovery/recovery-worker';
import { startSandboxWebhookSender } from '../toss/sandbox/sandbox-webhooks';
import { tossConfig } from '../toss/toss-config';
import { appTossClient } from '../toss/toss-gateway';
import { localSessionSecret, PROJECT_ROOT, prepareDatabase, resolveDatabase } from './prepare-database';

const dev = process.argv.includes('--dev');
const log = (line: string) => console.log(`[start] ${line}`);
const demoMode = !process.env.DATABASE_URL;

const database = await resolveDatabase(log);
process.env.DATABASE_URL = database.databaseUrl;
if (demoMode && !process.env.SESSION_SECRET) process.env.SESSION_SECRET = await localSessionSecret();

let config: ReturnType<typeof env>;
let seedDemoData = false;
try {
  config = env();
  tossConfig(); // both Toss keys or neither
  // The demo learner has a published password: never seed it into a real database unless asked to.
  seedDemoData = config.SEED_DEMO_DATA ? config.SEED_DEMO_DATA === 'true' : demoMode;
  await prepareDatabase(config.DATABASE_URL, { seed: seedDemoData, log });
} catch (error) {
  console.error(`[start] cannot start: ${error instanceof Error ? error.message : String(error)}`);
  await database.stop();
  process.exit(1);
}

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
const app = spawn(process.execPath, [nextBin, dev ? 'dev' : 'start', '--port', String(config.PORT)], {
  cwd: PROJECT_ROOT,
  stdio: 'inherit',
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
});

let stopping = false;
let recovery: RecoveryWorker | null = null;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  await recovery?.stop().catch(() => {});
  if (app.exitCode === null) app.kill('SIGTERM');
  await database.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
app.on('exit', (code) => void shutdown(code ?? 1));

const url = `http://localhost:${config.PORT}`;
for (let i = 0; i < 240 && !stopping; i++) {
  const ok = await fetch(`${url}/api/health`)
    .then((r) => r.ok)
    .catch(() => false);
  if (ok) {
    // The janitor starts with the app: it settles payments whose outcome is unknown (see server/recovery).
    const toss = tossConfig();
    recovery = await startRecoveryWorker({
      databaseUrl: config.DATABASE_URL,
      db: db(),
      toss: appTossClient(),
      intervalMs: config.RECOVERY_INTERVAL_MS,
      giveUpMs: config.RECOVERY_GIVE_UP_MS,
      staleConfirmingMs: toss.readTimeoutMs + 15_000,
      log,
    });
    if (toss.sandbox) {
      const sender = startSandboxWebhookSender(db(), { intervalMs: 1_000, timeScale: toss.webhookTimeScale });
      process.once('exit', () => sender.stop());
    }
    log(`ready: ${url}`);
    if (seedDemoData) {
      log(`demo login: ${DEMO_LEARNER.email} / ${DEMO_LEARNER.password}`);
    }
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
