import type { Tx } from '../db/client';
import { applyBalanceChange, ensureWallet, insertLedgerEntry } from '../ledger/wallet.repository';
import type { OrderRow } from '../order/order.repository';

/**
 * A cancelled card charge takes its won back out of the wallet (a CHARGE_CANCEL ledger entry), if the
 * wallet still holds them all; otherwise nothing moves and `owed` says so. Our own refunds and cancels
 * made at Toss both come here.
 */
export async function takeChargeBack(tx: Tx, order: OrderRow, refundRequestId: string, amount: number) {
  const wallet = await ensureWallet(tx, order.userId);
  const balance = await applyBalanceChange(tx, wallet.id, -amount);
  if (balance === null) return { owed: true as const, balance: wallet.balance };
  await insertLedgerEntry(tx, {
    walletId: wallet.id,
    userId: order.userId,
    type: 'CHARGE_CANCEL',
    amount: -amount,
    balanceAfter: balance,
    requestId: `sys:charge-cancel:${order.id}:${refundRequestId}`,
    orderId: order.id,
  });
  return { owed: false as const, balance };
}
