import { describe, expect, it } from 'vitest';
import { LEARNER_REFUND_WINDOW_MS, learnerRefundPolicy } from './refund-policy';

/** The learner's own refund: paid, nothing refunded yet, within 7 days of the approval; each rule alone. */

const approvedAt = new Date('2026-11-20T10:00:00+09:00');
const until = new Date(approvedAt.getTime() + LEARNER_REFUND_WINDOW_MS);
const paid = { status: 'APPROVED' as const, approvedAt, refundedAmount: 0 };

describe('learnerRefundPolicy', () => {
  it('allows a paid order up to and including the last moment of the window, and not a moment after', () => {
    expect(learnerRefundPolicy(paid, approvedAt.getTime() + 1)).toEqual({
      allowed: true,
      until,
      refusal: null,
    });
    expect(learnerRefundPolicy(paid, until.getTime())).toEqual({ allowed: true, until, refusal: null });
    expect(learnerRefundPolicy(paid, until.getTime() + 1)).toEqual({
      allowed: false,
      until,
      refusal: 'WINDOW_CLOSED',
    });
  });

  it('refuses an order with anything refunded or being refunded, even inside the window', () => {
    const now = approvedAt.getTime() + 1;
    for (const order of [
      { ...paid, refundedAmount: 1 },
      { ...paid, status: 'PARTIALLY_CANCELED' as const, refundedAmount: 5_000 },
      { ...paid, status: 'CANCELED' as const, refundedAmount: 10_000 },
    ]) {
      expect(learnerRefundPolicy(order, now)).toEqual({ allowed: false, until, refusal: 'ALREADY_REFUNDED' });
    }
  });

  it('refuses an order that is not paid, whether or not it carries an approval time', () => {
    const now = approvedAt.getTime() + 1;
    for (const status of ['CREATED', 'CONFIRMING', 'IN_DOUBT', 'FAILED', 'CANCEL_PENDING'] as const) {
      expect(learnerRefundPolicy({ status, approvedAt: null, refundedAmount: 0 }, now)).toEqual({
        allowed: false,
        until: null,
        refusal: 'NOT_PAID',
      });
      expect(learnerRefundPolicy({ status, approvedAt, refundedAmount: 0 }, now)).toMatchObject({
        allowed: false,
        refusal: 'NOT_PAID',
      });
    }
    // An approved order without its approval time cannot be judged against the window: not refundable by the learner.
    expect(learnerRefundPolicy({ ...paid, approvedAt: null }, now)).toEqual({
      allowed: false,
      until: null,
      refusal: 'NOT_PAID',
    });
  });
});
