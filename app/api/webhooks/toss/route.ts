import { db } from '@/server/db/client';
import { tossConfig } from '@/server/toss/toss-config';
import { appTossClient } from '@/server/toss/toss-gateway';
import { processDelivery, receiveTossWebhook } from '@/server/webhook/toss-webhook';

export const dynamic = 'force-dynamic';

/**
 * Toss's webhook receiver: records the delivery and answers 200 at once (Toss wants it within 10 s),
 * then settles the order in the background by asking Toss itself. A delivery whose processing is cut
 * short is picked up again by the janitor.
 */
export async function POST(req: Request) {
  const received = await receiveTossWebhook(db(), req);
  if (received.status === 200 && received.deliveryId) {
    const config = tossConfig();
    const deps = {
      db: db(),
      toss: appTossClient(),
      waitForConfirmMs: 0,
      staleConfirmingMs: config.readTimeoutMs + 15_000,
    };
    void processDelivery(deps, received.deliveryId).catch((error) =>
      console.error('webhook processing failed (the janitor will retry):', error),
    );
  }
  return Response.json(received.body, { status: received.status });
}
