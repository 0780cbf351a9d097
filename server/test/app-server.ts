// A real server process for the crash tests: the app's handlers (tRPC, Toss sandbox) and the recovery
// janitor, configured by environment, so a test can SIGKILL it mid-payment and start it again.
import { createDb } from '../db/client';
import { startTestHttpServer } from './http-server';

const databaseUrl = process.env.DATABASE_URL ?? '';
const server = await startTestHttpServer(createDb(databaseUrl, 5), {
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
console.log(`listening ${server.baseUrl}`);
