import { voidHold } from '../../building-blocks/ledger/ledger';
import { findExpiredHolds, postponeHold } from '../../building-blocks/ledger/wallet-hold.repository';
import { moveOrder } from '../../building-blocks/order/order-status';
import type { RecoveryDeps } from '../payment-deps';
import { applyTossPayment, claimForConfirm } from './card-settlement';

/**
 * Composite orders abandoned at checkout: the wallet part is held (PENDING) past its expiry and the order
 * is still CREATED. The hold is voided, and the order failed, only once Toss confirms that no payment
 * exists for the order (none at all, or one that ended without money: aborted, expired, cancelled);
 * while Toss holds an authenticated payment that may still be confirmed, the hold stays; a payment Toss
 * reports approved is recorded through the card settlement path. The order's
 * move and the void are one transaction, each conditional, so a confirm claiming the order meanwhile
 * (which makes the hold CONFIRMING) wins and nothing is voided.
 */

export type HoldExpiry = 'voided' | 'kept' | 'settled';

const ENDED_WITHOUT_MONEY = new Set(['ABORTED', 'EXPIRED', 'CANCELED']);

/** How long a kept hold waits before Toss is asked about it again. */
const RECHECK_MS = 5 * 60_000;

export async function expireHold(deps: RecoveryDeps, orderId: string): Promise<HoldExpiry> {
  const lookup = await deps.toss.getPaymentByOrderId(orderId);
  if (lookup.kind === 'ok' && lookup.body.status === 'DONE') {
    // Approved at Toss though we never confirmed it (as a webhook would tell us): recorded, never left
    // held and unrecorded. The approval captures the hold, or is given back if it cannot be delivered.
    const claimed = await claimForConfirm(deps.db, orderId, ['CREATED'], lookup.body.paymentKey);
    if (claimed) await applyTossPayment(deps, claimed, lookup.body, { mayConfirm: false });
    return 'settled';
  }
  const noPayment =
    (lookup.kind === 'refused' && (lookup.code === 'NOT_FOUND_PAYMENT' || lookup.code === 'NOT_FOUND')) ||
    (lookup.kind === 'ok' && ENDED_WITHOUT_MONEY.has(lookup.body.status));
  if (!noPayment) {
    // Toss holds a payment that may still be confirmed, or cannot say now: look again in a while, so a
    // kept hold never stays first in line ahead of the ones that can be voided.
    await postponeHold(deps.db, orderId, new Date(Date.now() + RECHECK_MS));
    return 'kept';
  }
  return deps.db.$transaction(async (tx) => {
    const failed = await moveOrder(tx, orderId, ['CREATED'], 'FAILED', {
      failureCode: 'HOLD_EXPIRED',
      failureMessage: 'The checkout was not completed in time; the wallet part was released.',
    });
    if (!failed) return 'kept';
    const voided = await voidHold(tx, orderId, ['PENDING']);
    if (!voided.resolved) throw new Error(`order ${orderId} failed on expiry but its hold was not PENDING`);
    return 'voided';
  });
}

/** Every expired hold of an unpaid order, each settled as above; how many were voided. */
export async function expireHolds(deps: RecoveryDeps, limit = 100): Promise<number> {
  let voided = 0;
  for (const orderId of await findExpiredHolds(deps.db, new Date(), limit)) {
    if ((await expireHold(deps, orderId)) === 'voided') voided++;
  }
  return voided;
}
