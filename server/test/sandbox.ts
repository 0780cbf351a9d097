import { randomBytes } from 'node:crypto';
import { type Db, driverPool } from '../building-blocks/db/client';
import { basicAuth } from '../building-blocks/toss/toss-client';
import { DOCS_TEST_KEYS } from '../building-blocks/toss/toss-config';
import type { TossPayment } from '../building-blocks/toss/toss-types';
import { newestPaymentOfOrder, type SandboxPayment } from '../sandbox/sandbox-store';
import { deliverDueWebhooks, queuePaymentWebhook } from '../sandbox/sandbox-webhooks';

/**
 * What a shopper does in the sandbox widget, what a merchant does in Toss's console, and fault injection,
 * as tests call them over HTTP.
 */

/** The fault-injection secret of every test server (server/test/http-server.ts). */
export const TEST_SANDBOX_CONTROL_SECRET = 'test-sandbox-control-secret-0123456789abcdef';
const control = { authorization: `Bearer ${TEST_SANDBOX_CONTROL_SECRET}` };

export function testOrderId(): string {
  return `test-${randomBytes(8).toString('hex')}`;
}

export async function shopperApproves(
  sandboxUrl: string,
  payment: {
    orderId: string;
    amount: number;
    orderName?: string;
    outcome?: 'approve' | 'reject' | 'cancel' | 'abort';
  },
): Promise<{ paymentKey: string; orderId: string; amount: number }> {
  const response = await fetch(`${sandboxUrl}/v1/sandbox/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderName: 'test order', customerKey: 'test-customer', ...payment }),
  });
  if (!response.ok) throw new Error(`sandbox refused the payment: ${await response.text()}`);
  return response.json();
}

export async function injectFault(
  sandboxUrl: string,
  fault: {
    match?: { path?: string; orderId?: string };
    action: 'delay' | 'error' | 'reset' | 'drop-response';
    ms?: number;
    status?: number;
    code?: string;
    times?: number;
  },
) {
  const response = await fetch(`${sandboxUrl}/v1/sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...control },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`sandbox refused the fault: ${await response.text()}`);
}

export async function clearFaults(sandboxUrl: string) {
  await fetch(`${sandboxUrl}/v1/sandbox/faults`, { method: 'DELETE', headers: control });
}

/**
 * A cancel made in Toss's merchant console, not through the app: straight to the sandbox's cancel API
 * with the secret key (full without an amount). The sandbox then sends PAYMENT_STATUS_CHANGED as Toss does.
 */
export async function cancelInMerchantConsole(
  sandboxUrl: string,
  paymentKey: string,
  cancel: { cancelReason: string; cancelAmount?: number },
): Promise<TossPayment & { cancels: { transactionKey: string; cancelAmount: number }[] }> {
  const response = await fetch(`${sandboxUrl}/v1/payments/${encodeURIComponent(paymentKey)}/cancel`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(DOCS_TEST_KEYS.secretKey) },
    body: JSON.stringify(cancel),
  });
  if (!response.ok) throw new Error(`the sandbox refused the cancel: ${await response.text()}`);
  return response.json();
}

// ---- The sandbox's own state, read and changed directly (its schema, toss_sandbox, through the driver) ----

/** The sandbox's (newest) payment for an order. */
export async function sandboxPaymentOf(db: Db, orderId: string): Promise<SandboxPayment> {
  const payment = await newestPaymentOfOrder(driverPool(db), orderId);
  if (!payment) throw new Error(`the sandbox has no payment for order ${orderId}`);
  return payment;
}

/** Moves a sandbox payment's confirm deadline, e.g. into the past: the shopper's session expired. */
export async function setSandboxConfirmDeadline(db: Db, paymentKey: string, expiresAt: Date): Promise<void> {
  const { rowCount } = await driverPool(db).query(
    'UPDATE toss_sandbox.payments SET expires_at = $2 WHERE payment_key = $1',
    [paymentKey, expiresAt],
  );
  if (rowCount !== 1) throw new Error(`the sandbox has no payment ${paymentKey}`);
}

export async function countSandboxFaults(db: Db): Promise<number> {
  const { rows } = await driverPool(db).query<{ n: number }>(
    'SELECT count(*)::int AS n FROM toss_sandbox.faults',
  );
  return rows[0]?.n ?? 0;
}

/** Webhooks the sandbox still owes (not yet answered 200). */
export async function countUndeliveredSandboxWebhooks(db: Db): Promise<number> {
  const { rows } = await driverPool(db).query<{ n: number }>(
    'SELECT count(*)::int AS n FROM toss_sandbox.webhooks WHERE delivered_at IS NULL',
  );
  return rows[0]?.n ?? 0;
}

/** The (first) webhook the sandbox queued for `url`, or null. */
export async function sandboxWebhookTo(
  db: Db,
  url: string,
): Promise<{ deliveredAt: Date | null; attempts: number } | null> {
  const { rows } = await driverPool(db).query<{ deliveredAt: Date | null; attempts: number }>(
    'SELECT delivered_at AS "deliveredAt", attempts FROM toss_sandbox.webhooks WHERE url = $1 LIMIT 1',
    [url],
  );
  return rows[0] ?? null;
}

/** Queues PAYMENT_STATUS_CHANGED for `payment` to `url`, as the sandbox does on a status change. */
export function queueSandboxWebhook(db: Db, url: string, payment: SandboxPayment): Promise<void> {
  return queuePaymentWebhook(driverPool(db), url, payment);
}

/** One round of the sandbox's webhook sender: sends what is due, on the retry schedule scaled by `timeScale`. */
export function deliverDueSandboxWebhooks(db: Db, timeScale: number): Promise<number> {
  return deliverDueWebhooks(driverPool(db), timeScale);
}
