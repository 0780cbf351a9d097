import { randomBytes } from 'node:crypto';
import { basicAuth } from '../building-blocks/toss/toss-client';
import { DOCS_TEST_KEYS } from '../building-blocks/toss/toss-config';
import type { TossPayment } from '../building-blocks/toss/toss-types';

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
