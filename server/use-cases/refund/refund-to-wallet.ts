import { raiseAlert } from '../../building-blocks/alert/operator-alert.repository';
import type { Tx } from '../../building-blocks/db/client';
import type { Refund } from '../../building-blocks/db/generated/client';
import { moveBalance } from '../../building-blocks/ledger/ledger';
import type { OrderRow } from '../../building-blocks/order/order.repository';
import { bookRefundDone } from '../../building-blocks/refund/book-refund';
import { updateRefund } from '../../building-blocks/refund/refund.repository';

/**
 * Books a refund whose money goes back to the wallet: a REFUND ledger row, then the refund DONE (and the
 * order moved on). If the wallet cannot hold it (limit 100,000), it is owed by bank transfer instead:
 * recorded as such and put before an operator. Used by balance refunds and by a composite order's wallet
 * part, which is booked only once Toss has given back the card part (refund-at-toss.ts).
 */
export async function bookRefundToWallet(tx: Tx, order: OrderRow, refund: Refund) {
  const credited = await moveBalance(tx, {
    userId: order.userId,
    type: 'REFUND',
    amount: refund.amount,
    requestId: `sys:refund:${refund.id}`,
    orderId: order.id,
    courseId: order.courseId ?? undefined,
  });
  if (!credited.ok) {
    await updateRefund(tx, refund.id, { destination: 'BANK_TRANSFER' });
    await raiseAlert(
      tx,
      order.id,
      `BANK_TRANSFER_REFUND:${refund.id}`,
      `Refund ${refund.amount} won by bank transfer: the wallet cannot hold it (limit 100,000).`,
    );
  }
  await bookRefundDone(tx, order, refund.id);
}

/** The wallet part of a composite refund waits under this requestId for its card part's answer. */
export const walletPartRequestId = (cardRequestId: string) => `sys:wallet-part:${cardRequestId}`;
