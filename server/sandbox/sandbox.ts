import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { handleSandboxRequest, type SandboxDeps } from './sandbox-handler';
import { createSandboxSchema } from './sandbox-store';
import { startSandboxWebhookSender } from './sandbox-webhooks';

/**
 * The offline Toss sandbox as one module: what the app mounts in sandbox mode (and only then, through
 * server/entry-points/sandbox-mount.ts). Starting it creates its own PostgreSQL schema if missing; it then
 * answers the requests under /api/toss-sandbox, serves its widget script, and sends its webhooks.
 */

export interface Sandbox {
  /** Answers a request under /api/toss-sandbox as Toss would. */
  handle(request: Request): Promise<Response>;
  /** The v1 payment widget (`window.PaymentWidget`) the checkout page loads in sandbox mode. */
  widgetScript: string;
  /** Sends the webhooks the sandbox owes, every `intervalMs`, on Toss's (time-scaled) retry schedule. */
  startWebhookSender(options: { intervalMs: number; timeScale: number }): { stop(): void };
}

const WIDGET_FILE = path.join(import.meta.dirname, 'payment-widget.js');

/**
 * `config` is kept, not copied: its fields are read on every request (a test server learns its own
 * webhook URL only once it listens).
 */
export async function startSandbox(config: SandboxDeps): Promise<Sandbox> {
  await createSandboxSchema(config.db);
  const widgetScript = await readFile(WIDGET_FILE, 'utf8');
  return {
    handle: (request) => handleSandboxRequest(request, config),
    widgetScript,
    startWebhookSender: (options) => startSandboxWebhookSender(config.db, options),
  };
}
