import type { Tx } from '../db/client';
import { moveBalance } from '../ledger/ledger';
import type { OrderRow } from '../order/order.repository';

/**
 * A cancelled card charge takes its won back out of the wallet (a CHARGE_CANCEL ledger entry), if the
 * wallet still holds them all; otherwise nothing moves and `owed` says so. Our own refunds and cancels
 * made at Toss both come here.
 */
export async function takeChargeBack(tx: Tx, order: OrderRow, refundRequestId: string, amount: number) {
  const moved = await moveBalance(tx, {
    userId: order.userId,
    type: 'CHARGE_CANCEL',
    amount: -amount,
    requestId: `sys:charge-cancel:${order.id}:${refundRequestId}`,
    orderId: order.id,
  });
  return moved.ok
    ? { owed: false as const, balance: moved.balance }
    : { owed: true as const, balance: moved.balance };
}
