import { randomBytes } from 'node:crypto';

/** What a shopper does in the sandbox widget, and fault injection, as tests call them over HTTP. */

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
