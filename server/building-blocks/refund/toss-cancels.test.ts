import { describe, expect, it } from 'vitest';
import type { TossPayment } from '../toss/toss-types';
import { cancelsMadeElsewhere, doneCancelsOf, keyOfAnsweredCancel } from './toss-cancels';

const cancel = (transactionKey: string, cancelAmount: number, cancelStatus = 'DONE') => ({
  transactionKey,
  cancelAmount,
  cancelReason: 'r',
  canceledAt: '2026-12-01T10:00:00+09:00',
  cancelStatus,
});
const payment = (cancels: unknown[] | null, lastTransactionKey: string | null = null) =>
  ({
    paymentKey: 'pk',
    orderId: 'o',
    status: 'PARTIAL_CANCELED',
    totalAmount: 10_000,
    balanceAmount: 0,
    lastTransactionKey,
    cancels,
  }) as TossPayment;
const keys = (list: { transactionKey: string }[]) => list.map((c) => c.transactionKey);

describe("Toss's cancels of a payment", () => {
  it('counts only cancels that took effect, and refuses a list it cannot read', () => {
    expect(keys(doneCancelsOf(payment([cancel('A', 1), cancel('B', 2, 'IN_PROGRESS')])) ?? [])).toEqual([
      'A',
    ]);
    expect(doneCancelsOf(payment(null))).toEqual([]);
    expect(doneCancelsOf(payment([{ transactionKey: 'A' }]))).toBeNull();
  });

  it('names our cancel from the answer only when it is the last transaction, of our amount', () => {
    const answer = payment([cancel('A', 3_000), cancel('B', 2_000)], 'B');
    expect(keyOfAnsweredCancel(answer, 2_000)).toBe('B');
    expect(keyOfAnsweredCancel(answer, 3_000)).toBeNull();
    expect(keyOfAnsweredCancel(payment([cancel('A', 3_000)], 'APPROVAL'), 3_000)).toBeNull();
  });

  it('ours by key; the rest made elsewhere', () => {
    const split = cancelsMadeElsewhere(
      [cancel('A', 3_000), cancel('B', 3_000), cancel('C', 1_000)],
      [
        { status: 'DONE', amount: 3_000, tossTransactionKey: 'B' },
        { status: 'FAILED', amount: 1_000, tossTransactionKey: null },
      ],
    );
    expect(split).toMatchObject({ waitingForOurs: false });
    expect(keys(split.madeElsewhere)).toEqual(['A', 'C']);
  });

  it('a refund of ours done without a key accounts for the earliest cancel of its amount', () => {
    const split = cancelsMadeElsewhere(
      [cancel('A', 1_000), cancel('B', 3_000), cancel('C', 3_000)],
      [{ status: 'DONE', amount: 3_000, tossTransactionKey: null }],
    );
    expect(keys(split.madeElsewhere)).toEqual(['A', 'C']);
  });

  it('while a refund of ours is unanswered, no cancel is called made elsewhere', () => {
    const cancels = [cancel('A', 3_000), cancel('B', 3_000)];
    expect(
      cancelsMadeElsewhere(cancels, [
        { status: 'DONE', amount: 3_000, tossTransactionKey: 'A' },
        { status: 'IN_DOUBT', amount: 3_000, tossTransactionKey: null },
      ]),
    ).toEqual({ madeElsewhere: [], waitingForOurs: true });
    // Nothing unknown: nothing to wait for.
    expect(
      cancelsMadeElsewhere(cancels.slice(0, 1), [
        { status: 'DONE', amount: 3_000, tossTransactionKey: 'A' },
        { status: 'REQUESTED', amount: 500, tossTransactionKey: null },
      ]),
    ).toEqual({ madeElsewhere: [], waitingForOurs: false });
  });

  it('pairs a keyless refund with the first unknown cancel of its amount, and with nothing when none matches', () => {
    // The matching cancel is the first unknown one: it is ours, the other was made elsewhere.
    const first = cancelsMadeElsewhere(
      [cancel('A', 1_000), cancel('B', 2_000)],
      [{ status: 'DONE', amount: 1_000, tossTransactionKey: null }],
    );
    expect(keys(first.madeElsewhere)).toEqual(['B']);
    // No cancel of its amount: every cancel stays made elsewhere (none is dropped for it).
    const none = cancelsMadeElsewhere(
      [cancel('A', 1_000), cancel('B', 2_000)],
      [{ status: 'DONE', amount: 5_000, tossTransactionKey: null }],
    );
    expect(keys(none.madeElsewhere)).toEqual(['A', 'B']);
  });

  it('waits while a refund of ours is only requested, as while it is in doubt', () => {
    expect(
      cancelsMadeElsewhere(
        [cancel('A', 3_000)],
        [{ status: 'REQUESTED', amount: 3_000, tossTransactionKey: null }],
      ),
    ).toEqual({ madeElsewhere: [], waitingForOurs: true });
  });

  it('names no cancel from an answer whose cancel list it cannot read', () => {
    expect(keyOfAnsweredCancel(payment([{ transactionKey: 'A' }], 'A'), 1_000)).toBeNull();
  });
});
