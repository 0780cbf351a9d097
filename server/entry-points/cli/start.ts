// `npm start` (after `next build`) and `npm run dev`: prepares the database, then serves the whole app
// from this one process: pages through Next.js, /api through our own layer, and the recovery janitor.
import type { Server } from 'node:http';
import next from 'next';
import { sealingKey } from '../../building-blocks/crypto/sealing-key';
import { db } from '../../building-blocks/db/client';
import { env } from '../../building-blocks/env';
import { logger } from '../../building-blocks/log';
import { type TossConfig, tossConfig } from '../../building-blocks/toss/toss-config';
import { apiDepsFromEnv } from '../app-deps';
import { type EventDispatcher, startEventDispatcher } from '../event-dispatcher';
import { createApiHandler } from '../http/api';
import { createAppServer } from '../http/app-server';
import { closeServer, exitGracefullyOnSignal, listen } from '../http/lifecycle';
import { type RecoveryWorker, startRecoveryWorker } from '../janitor';
import { type MountedSandbox, mountSandbox } from '../sandbox-mount';
import { DEMO_ADMIN, DEMO_LEARNER } from './demo-data';
import {
  PROJECT_ROOT,
  prepareDatabase,
  prepareEnvironment,
  resolveDatabase,
  shouldSeedDemoData,
} from './prepare-database';

const dev = process.argv.includes('--dev');
const log = (line: string) => console.log(`[start] ${line}`);
/** How long a stop waits for requests in flight and the janitor's current job. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

function refuseToStart(message: string): never {
  console.error(`[start] cannot start: ${message}`);
  process.exit(1);
}

// A real database is configured on purpose: sandbox mode (payments without a card) must be asked for.
// The two-command demo on the embedded database turns it on, with secrets of its own.
await prepareEnvironment({ dev });
const demoMode = !process.env.DATABASE_URL; // after .env files are read: they may name the database

const database = await resolveDatabase(log);
process.env.DATABASE_URL = database.databaseUrl;

let config: ReturnType<typeof env>;
let toss: TossConfig;
let seedDemoData = false;
let sandbox: MountedSandbox | null;
try {
  config = env();
  toss = tossConfig(); // real keys, or TOSS_SANDBOX=on: never neither, never both
  seedDemoData = shouldSeedDemoData(config.SEED_DEMO_DATA, toss.mode, demoMode);
  await prepareDatabase(config.DATABASE_URL, { seed: seedDemoData, log });
  // In sandbox mode only: the offline Toss, with its own schema (created here if missing).
  sandbox = await mountSandbox(db(), toss);
} catch (error) {
  await database.stop();
  refuseToStart(error instanceof Error ? error.message : String(error));
}

const apiDeps = apiDepsFromEnv(toss, sandbox);
const pages = next({ dev, dir: PROJECT_ROOT, port: config.PORT });
let server: Server;
try {
  await pages.prepare();
  server = createAppServer({
    api: createApiHandler(apiDeps),
    pages: pages.getRequestHandler(),
    upgrade: dev ? pages.getUpgradeHandler() : undefined,
    policy: { sandbox: toss.sandbox, dev },
  });
  await listen(server, config.PORT);
} catch (error) {
  await database.stop();
  refuseToStart(error instanceof Error ? error.message : String(error)); // e.g. no build, or the port is taken
}

// Installed before the janitor's first sweep (which may call Toss for a while): a stop signal from
// now on is graceful.
let recovery: RecoveryWorker | null = null;
let sender: { stop(): void } | null = null;
let events: EventDispatcher | null = null;
async function stop() {
  await closeServer(server, SHUTDOWN_TIMEOUT_MS);
  sender?.stop();
  await events?.stop();
  await recovery?.stop();
  await pages.close();
  await db().$disconnect();
  await database.stop();
}
exitGracefullyOnSignal(stop);

try {
  // The janitor settles payments whose outcome is unknown (entry-points/janitor.ts).
  recovery = await startRecoveryWorker({
    databaseUrl: config.DATABASE_URL,
    db: db(),
    toss: apiDeps.toss,
    intervalMs: config.RECOVERY_INTERVAL_MS,
    giveUpMs: config.RECOVERY_GIVE_UP_MS,
    staleConfirmingMs: apiDeps.staleConfirmingMs,
    log: (line) => logger.info({ event: 'janitor' }, line),
  });
} catch (error) {
  // Serving without the janitor would leave payments in doubt unsettled: stop, and let the
  // supervisor start us again.
  console.error(
    `[start] the recovery janitor could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  await stop().catch(() => {});
  process.exit(1);
}
sender = sandbox?.startWebhookSender({ intervalMs: 1_000, timeScale: toss.webhookTimeScale }) ?? null;

// Outgoing events to other services (entry-points/event-dispatcher.ts): they need the sealing key to
// open the endpoints' signing secrets. Without it no endpoint can exist, and events wait in the outbox.
const eventSealingKey = sealingKey();
if (eventSealingKey) {
  events = startEventDispatcher({
    db: db(),
    sealingKey: eventSealingKey,
    timeScale: config.EVENT_RETRY_TIME_SCALE,
    intervalMs: config.EVENT_DISPATCH_INTERVAL_MS,
    log: (line) => logger.warn({ event: 'outgoing_events' }, line),
  });
} else {
  log('outgoing events are off: SERVICE_KEY_ENCRYPTION_KEY is not set (events wait in the outbox)');
}

log(
  `ready: http://localhost:${config.PORT}${toss.mode === 'live' ? '' : ` (테스트 모드, ${toss.mode}: no real money moves)`}`,
);
if (seedDemoData) {
  log(`demo login: ${DEMO_LEARNER.email} / ${DEMO_LEARNER.password}`);
  log(`demo admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
}
