import type { Db } from '../../building-blocks/db/client';
import {
  findOrder,
  findOrdersNeedingRecovery,
  type OrderRow,
} from '../../building-blocks/order/order.repository';
import { moveOrder } from '../../building-blocks/order/order-status';
import type { RecoveryDeps } from '../payment-deps';
import { settleCancelsMadeAtToss } from './cancels-made-at-toss';
import { cancelUndeliverable, settleFromToss } from './card-settlement';

/**
 * The janitor: settles orders whose outcome we do not know, by asking Toss for the truth and feeding
 * it through the same code path as confirm (card-settlement.ts).
 *
 * An order needs recovery when it is IN_DOUBT (no answer from Toss), CANCEL_PENDING (Toss approved
 * what we could not deliver; our cancel is owed), or CONFIRMING for longer than a confirm can take
 * (the process confirming it died). Claiming is a conditional UPDATE, so concurrent janitors (several
 * app instances) and a confirm in flight never settle one order twice.
 *
 * An order already (partly) approved is settled too, but Toss may have cancelled some of it since
 * without us (its merchant console): asked about one (a webhook, a job), the janitor re-reads the
 * payment and books those cancels once (cancels-made-at-toss.ts).
 */

export type RecoveryOutcome = 'settled' | 'still-unknown' | 'not-needed' | 'busy';

/** The orders the janitor must settle: in doubt, owed a cancel, or CONFIRMING by a process that died. */
export function ordersNeedingRecovery(db: Db, staleConfirmingMs: number, limit = 100) {
  return findOrdersNeedingRecovery(db, new Date(Date.now() - staleConfirmingMs), limit);
}

export async function recoverOrder(deps: RecoveryDeps, orderId: string): Promise<RecoveryOutcome> {
  const order = await findOrder(deps.db, orderId);
  if (!order) return 'not-needed';
  if (order.status === 'APPROVED' || order.status === 'PARTIALLY_CANCELED') {
    return (await settleCancelsMadeAtToss(deps, order.id)) === 'booked' ? 'settled' : 'not-needed';
  }
  if (order.status === 'CANCEL_PENDING') {
    const after = await cancelUndeliverable(deps, order);
    return after.status === 'CANCELED' ? 'settled' : 'still-unknown';
  }
  if (order.status !== 'IN_DOUBT' && order.status !== 'CONFIRMING') return 'not-needed';

  const claimed = await claimForRecovery(deps, order);
  if (!claimed) return 'busy';
  const settled = await settleFromToss(deps, claimed);
  return settled.status === 'IN_DOUBT' || settled.status === 'CONFIRMING' ? 'still-unknown' : 'settled';
}

/** IN_DOUBT, or CONFIRMING abandoned by a dead process → CONFIRMING, held by us. */
async function claimForRecovery(deps: RecoveryDeps, order: OrderRow) {
  return moveOrder(
    deps.db,
    order.id,
    ['IN_DOUBT', 'CONFIRMING'],
    'CONFIRMING',
    {},
    {
      OR: [{ status: 'IN_DOUBT' }, { updatedAt: { lt: new Date(Date.now() - deps.staleConfirmingMs) } }],
    },
  );
}
