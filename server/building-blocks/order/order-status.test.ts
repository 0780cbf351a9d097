import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller } from '../../test/fixtures';
import type { OrderStatus } from '../db/generated/client';
import { findOrder, insertOrder, nextConfirmAttempt } from './order.repository';
import { newOrderId } from './order-id';
import { moveOrder, ORDER_MOVES } from './order-status';

let t: TestDatabase;
let userId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const { user } = await signedInCaller(t.db, 'order-status');
  userId = user.id;
});
afterAll(() => t.drop());

async function orderIn(status: OrderStatus) {
  return insertOrder(t.db, {
    id: newOrderId(),
    userId,
    type: 'CHARGE',
    amount: 1_000,
    orderName: '지갑 충전 1,000원',
    status,
  });
}

const STATUSES = Object.keys(ORDER_MOVES) as OrderStatus[];
const pairs = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));

describe('the order status machine', () => {
  it('draws every status, and no move out of FAILED or CANCELED', () => {
    expect(STATUSES.sort()).toEqual(
      [
        'APPROVED',
        'CANCELED',
        'CANCEL_PENDING',
        'CONFIRMING',
        'CREATED',
        'FAILED',
        'IN_DOUBT',
        'PARTIALLY_CANCELED',
      ].sort(),
    );
    expect(ORDER_MOVES.FAILED).toEqual([]);
    expect(ORDER_MOVES.CANCELED).toEqual([]);
  });

  it.each(pairs.filter(([from, to]) => !ORDER_MOVES[from].includes(to)))(
    'refuses %s → %s before the database, leaving the order as it was',
    async (from, to) => {
      const order = await orderIn(from);
      expect(() => moveOrder(t.db, order.id, [from], to)).toThrow(`an order never moves ${from} → ${to}`);
      expect((await findOrder(t.db, order.id))?.status).toBe(from);
    },
  );

  it.each(pairs.filter(([from, to]) => ORDER_MOVES[from].includes(to)))(
    'moves %s → %s in one conditional UPDATE',
    async (from, to) => {
      const order = await orderIn(from);
      expect((await moveOrder(t.db, order.id, [from], to))?.status).toBe(to);
      expect((await findOrder(t.db, order.id))?.status).toBe(to);
    },
  );

  it('moves an order only from a status it is in: a second, identical move gets null', async () => {
    const order = await orderIn('CREATED');
    const [first, second] = await Promise.all([
      moveOrder(t.db, order.id, ['CREATED'], 'FAILED'),
      moveOrder(t.db, order.id, ['CREATED'], 'FAILED'),
    ]);
    expect([first?.status ?? null, second?.status ?? null].sort()).toEqual(['FAILED', null].sort());
  });

  it('numbers confirm attempts 1, 2, 3 on the order itself', async () => {
    const order = await orderIn('CONFIRMING');
    expect(await nextConfirmAttempt(t.db, order.id)).toBe(1);
    expect(await nextConfirmAttempt(t.db, order.id)).toBe(2);
    expect(await nextConfirmAttempt(t.db, order.id)).toBe(3);
  });
});
