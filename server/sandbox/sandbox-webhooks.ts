import { randomUUID } from 'node:crypto';
import type { Db } from '../building-blocks/db/client';
import type { TossSandboxPayment, TossSandboxWebhook } from '../building-blocks/db/generated/client';
import { paymentJson } from './sandbox-payment';

/**
 * The sandbox's webhooks, sent as Toss sends them: PAYMENT_STATUS_CHANGED with the full Payment, the
 * transmission headers, and retries until the shop answers 200, after 1, 4, 16, 64, 256, 1024 and
 * 4096 minutes (scaled by TOSS_SANDBOX_WEBHOOK_TIME_SCALE for tests). Kept in the database, so pending
 * deliveries survive restarts.
 */

const RETRY_MINUTES = [1, 4, 16, 64, 256, 1024, 4096];

export async function queuePaymentWebhook(db: Db, url: string | undefined, payment: TossSandboxPayment) {
  if (!url) return;
  await db.tossSandboxWebhook.create({
    data: {
      transmissionId: randomUUID(),
      url,
      body: {
        eventType: 'PAYMENT_STATUS_CHANGED',
        createdAt: new Date().toISOString().replace('Z', '000'),
        data: paymentJson(payment),
      } as object,
    },
    select: { id: true },
  });
}

/** Sends every webhook that is due; each is claimed first, so two senders never send one twice at once. */
export async function deliverDueWebhooks(db: Db, timeScale: number): Promise<number> {
  const due = await db.$queryRaw<TossSandboxWebhook[]>`
    UPDATE toss_sandbox_webhook SET next_attempt_at = now() + interval '1 hour'
     WHERE id IN (SELECT id FROM toss_sandbox_webhook
                   WHERE delivered_at IS NULL AND next_attempt_at <= now() AND attempts <= ${RETRY_MINUTES.length}
                   ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)
    RETURNING id, transmission_id AS "transmissionId", url, body, attempts`;
  for (const webhook of due) {
    const delivered = await post(webhook);
    const retryIn = (RETRY_MINUTES[webhook.attempts] ?? 0) * 60_000 * timeScale;
    await db.tossSandboxWebhook.update({
      where: { id: webhook.id },
      data: delivered
        ? { deliveredAt: new Date(), attempts: webhook.attempts + 1 }
        : { attempts: webhook.attempts + 1, nextAttemptAt: new Date(Date.now() + retryIn) },
      select: { id: true },
    });
  }
  return due.length;
}

async function post(webhook: TossSandboxWebhook): Promise<boolean> {
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

export function startSandboxWebhookSender(db: Db, options: { intervalMs: number; timeScale: number }) {
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
