// A real server process for the crash and shutdown tests: the app's HTTP edge (tRPC, webhooks, the Toss
// sandbox) and the recovery janitor, configured by environment, so a test can SIGKILL it mid-payment and
// start it again, or SIGTERM it with requests in flight. It stops the way `npm start` does.
import { createDb } from '../building-blocks/db/client';
import { exitGracefullyOnSignal } from '../entry-points/http/lifecycle';
import { startTestHttpServer } from './http-server';

const databaseUrl = process.env.DATABASE_URL ?? '';
const db = createDb(databaseUrl, 5);
const server = await startTestHttpServer(db, {
  port: Number(process.env.PORT ?? 0),
  tossBaseUrl: process.env.TOSS_API_BASE || undefined,
  readTimeoutMs: Number(process.env.TOSS_READ_TIMEOUT_MS ?? 10_000),
  recovery:
    process.env.RECOVERY_INTERVAL_MS !== undefined
      ? {
          databaseUrl,
          intervalMs: Number(process.env.RECOVERY_INTERVAL_MS),
          staleConfirmingMs: Number(process.env.RECOVERY_STALE_CONFIRMING_MS ?? 15_000),
        }
      : undefined,
});
exitGracefullyOnSignal(async () => {
  await server.close(10_000);
  await db.$disconnect();
});
console.log(`listening ${server.baseUrl}`);
