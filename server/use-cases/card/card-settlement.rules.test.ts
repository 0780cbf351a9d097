import { describe, expect, it } from 'vitest';
import type { OrderRow } from '../../building-blocks/order/order.repository';
import type { TossPayment } from '../../building-blocks/toss/toss-types';
import { isApprovalOf } from './card-settlement';

/** What counts as Toss's approval of our order: DONE, for this order, for exactly its amount; each alone. */

const order = { id: 'order-1', amount: 15_000, walletAmount: 0 } as OrderRow;
/** A composite order of 48,000 won, 30,000 from the wallet: Toss approves the card part, 18,000. */
const composite = { id: 'order-1', amount: 48_000, walletAmount: 30_000 } as OrderRow;
const done = { paymentKey: 'pk', orderId: 'order-1', status: 'DONE', totalAmount: 15_000 } as TossPayment;

describe('isApprovalOf', () => {
  it('is an approval only when all three agree', () => {
    expect(isApprovalOf(done, order)).toBe(true);
    expect(isApprovalOf({ ...done, status: 'IN_PROGRESS' } as TossPayment, order)).toBe(false);
    expect(isApprovalOf({ ...done, status: 'CANCELED' } as TossPayment, order)).toBe(false);
    expect(isApprovalOf({ ...done, orderId: 'order-2' }, order)).toBe(false);
    expect(isApprovalOf({ ...done, totalAmount: 15_001 }, order)).toBe(false);
    expect(isApprovalOf({ ...done, totalAmount: 1_500 }, order)).toBe(false);
  });

  it('of a composite order, is an approval of its card part only', () => {
    expect(isApprovalOf({ ...done, totalAmount: 18_000 }, composite)).toBe(true);
    expect(isApprovalOf({ ...done, totalAmount: 48_000 }, composite)).toBe(false);
    expect(isApprovalOf({ ...done, totalAmount: 30_000 }, composite)).toBe(false);
  });
});
