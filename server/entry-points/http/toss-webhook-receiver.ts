import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../building-blocks/db/client';
import { addToLogScope } from '../../building-blocks/log';
import { webhookDeliveries, webhookEventLabel } from '../../building-blocks/metrics';
import { recordDelivery } from '../../building-blocks/webhook/webhook-delivery.repository';

/**
 * The Toss webhook receiver (POST /api/webhooks/toss): PAYMENT_STATUS_CHANGED and DEPOSIT_CALLBACK.
 *
 * They are unsigned, so a payload is only a hint: we record the delivery (deduplicated by Toss's
 * transmission id), answer 200 at once, and then act only on what Toss itself says when asked, through
 * the same code path as confirm and recovery. Duplicated, out-of-order, early or forged deliveries can
 * therefore change nothing, or nothing twice.
 */

const payloadSchema = z
  .object({
    eventType: z.string().optional(),
    orderId: z.string().optional(),
    status: z.string().optional(),
    data: z
      .object({ orderId: z.string().optional(), paymentKey: z.string().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export async function receiveTossWebhook(db: Db, req: Request) {
  const received = await receive(db, req);
  webhookDeliveries.inc({
    event_type: webhookEventLabel(received.eventType),
    result: received.status !== 200 ? 'refused' : received.body.duplicate ? 'duplicate' : 'recorded',
  });
  return received;
}

async function receive(db: Db, req: Request) {
  const text = await req.text();
  let json: unknown;
  try {
    // `__proto__` keys are dropped: no Toss payload has one, Prisma cannot store one whose value is
    // null (it threw, a 500) and silently drops the others anyway.
    json = JSON.parse(text, (key, value) => (key === '__proto__' ? undefined : value));
  } catch {
    return { status: 400, body: { error: 'The body is not JSON.' } } as const;
  }
  // PostgreSQL cannot store NUL characters; no genuine Toss payload contains them.
  if (text.includes('\\u0000'))
    return { status: 400, body: { error: 'The payload contains NUL characters.' } } as const;
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return { status: 400, body: { error: 'Not a Toss webhook payload.' } } as const;
  const payload = parsed.data;
  const transmissionId =
    req.headers.get('tosspayments-webhook-transmission-id') ??
    `body-${createHash('sha256').update(text).digest('hex')}`;
  const eventType = payload.eventType ?? (payload.status ? 'DEPOSIT_CALLBACK' : 'UNKNOWN');
  const rawOrderId = payload.data?.orderId ?? payload.orderId ?? null;
  const orderId = rawOrderId && /^[A-Za-z0-9_=-]{1,64}$/.test(rawOrderId) ? rawOrderId : null;
  addToLogScope({ orderId: orderId ?? undefined });

  const delivery = await recordDelivery(db, {
    transmissionId: transmissionId.slice(0, 200),
    eventType: eventType.slice(0, 100),
    orderId,
    payload: json as object,
  });
  return {
    status: 200,
    body: { received: true, duplicate: !delivery },
    deliveryId: delivery?.id,
    eventType,
  } as const;
}
