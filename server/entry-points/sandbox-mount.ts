import { type Db, driverPool } from '../building-blocks/db/client';
import type { TossConfig } from '../building-blocks/toss/toss-config';
import type { SandboxEndpoint } from './http/api';

/**
 * The one place the product reaches the offline Toss sandbox (server/sandbox). Only in sandbox mode is the
 * module loaded and started, which creates its own PostgreSQL schema; a real deployment loads none of it
 * and gets no sandbox tables. The sandbox shares the app's connection pool.
 */

export interface MountedSandbox extends SandboxEndpoint {
  /** Starts sending the webhooks the sandbox owes; `npm start` calls it once the app listens. */
  startWebhookSender(options: { intervalMs: number; timeScale: number }): { stop(): void };
}

export async function mountSandbox(db: Db, toss: TossConfig): Promise<MountedSandbox | null> {
  if (!toss.sandbox) return null;
  const { startSandbox } = await import('../sandbox/sandbox');
  return startSandbox({
    db: driverPool(db),
    secretKey: toss.secretKey,
    controlSecret: toss.sandboxControlSecret,
    confirmWindowMs: toss.confirmWindowMs,
    webhookUrl: toss.sandboxWebhookUrl,
  });
}
