import { randomUUID } from 'node:crypto';
import { paymentJson } from './sandbox-payment';
import {
  claimDueWebhooks,
  insertWebhook,
  markWebhookDelivered,
  type SandboxDb,
  type SandboxPayment,
  type SandboxWebhook,
  scheduleWebhookRetry,
} from './sandbox-store';

/**
 * The sandbox's webhooks, sent as Toss sends them: PAYMENT_STATUS_CHANGED with the full Payment, the
 * transmission headers, and retries until the shop answers 200, after 1, 4, 16, 64, 256, 1024 and
 * 4096 minutes (scaled by TOSS_SANDBOX_WEBHOOK_TIME_SCALE for tests). Kept in the database, so pending
 * deliveries survive restarts.
 */

const RETRY_MINUTES = [1, 4, 16, 64, 256, 1024, 4096];

export async function queuePaymentWebhook(db: SandboxDb, url: string | undefined, payment: SandboxPayment) {
  if (!url) return;
  await insertWebhook(db, {
    transmissionId: randomUUID(),
    url,
    body: {
      eventType: 'PAYMENT_STATUS_CHANGED',
      createdAt: new Date().toISOString().replace('Z', '000'),
      data: paymentJson(payment),
    },
  });
}

/** Sends every webhook that is due; each is claimed first, so two senders never send one twice at once. */
export async function deliverDueWebhooks(db: SandboxDb, timeScale: number): Promise<number> {
  const due = await claimDueWebhooks(db, RETRY_MINUTES.length);
  for (const webhook of due) {
    const delivered = await post(webhook);
    const retryIn = (RETRY_MINUTES[webhook.attempts] ?? 0) * 60_000 * timeScale;
    if (delivered) await markWebhookDelivered(db, webhook.id, webhook.attempts + 1);
    else await scheduleWebhookRetry(db, webhook.id, webhook.attempts + 1, new Date(Date.now() + retryIn));
  }
  return due.length;
}

async function post(webhook: SandboxWebhook): Promise<boolean> {
  try {
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'tosspayments-webhook-transmission-id': webhook.transmissionId,
        'tosspayments-webhook-transmission-time': new Date().toISOString(),
        'tosspayments-webhook-transmission-retried-count': String(webhook.attempts),
      },
      body: JSON.stringify(webhook.body),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

export function startSandboxWebhookSender(db: SandboxDb, options: { intervalMs: number; timeScale: number }) {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    deliverDueWebhooks(db, options.timeScale)
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, options.intervalMs);
  return { stop: () => clearInterval(timer) };
}
