import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BALANCE_STRATEGY_NAMES,
  type BalanceStrategyName,
  useBalanceStrategy,
} from '../../building-blocks/ledger/strategies';
import { disconnectRedis } from '../../building-blocks/ledger/strategies/redis-lock';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { checkInvariants } from '../admin/invariants';

/**
 * Retrying a requestId after later events changed what it did: the retry answers exactly what the
 * first call answered (or its refusal), never a 500, and nothing is applied twice. Once per balance
 * strategy: `atomic` charges in one statement, the others through an interactive transaction.
 */

let t: TestDatabase;
let admin: Awaited<ReturnType<typeof signedInCaller>>;
beforeAll(async () => {
  t = await createTestDatabase();
  admin = await signedInCaller(t.db, 'admin', { admin: true });
});
afterEach(async () => {
  expect(await checkInvariants(t.db)).toEqual([]);
});
afterAll(async () => {
  await disconnectRedis();
  await t.drop();
});

const learner = () => signedInCaller(t.db, 'replay');
type Learner = Awaited<ReturnType<typeof learner>>;

/** What a replay must leave as it found: the balance, the ledger, enrollments, orders and refunds. */
async function books(who: Learner) {
  const userId = who.user.id;
  const [wallet, ledger, enrollments, ended, orders, refunds] = await Promise.all([
    t.db.wallet.findUnique({ where: { userId }, select: { balance: true } }),
    t.db.walletTransaction.findMany({
      where: { userId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, type: true, amount: true, balanceAfter: true },
    }),
    t.db.enrollment.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } }),
    t.db.endedEnrollment.findMany({ where: { userId }, orderBy: { endedAt: 'asc' } }),
    t.db.order.findMany({ where: { userId }, orderBy: { id: 'asc' } }),
    t.db.refund.findMany({ where: { order: { userId } }, orderBy: { createdAt: 'asc' } }),
  ]);
  return { balance: wallet?.balance ?? 0, ledger, enrollments, ended, orders, refunds };
}

/** Replays `call` and checks it changed nothing; returns its answer or refusal. */
async function replayChangesNothing<T>(who: Learner, call: () => Promise<T>) {
  const before = await books(who);
  let answer: T | undefined;
  const reason = await reasonOf(
    call().then((value) => {
      answer = value;
    }),
  );
  expect(await books(who)).toEqual(before);
  return { reason, answer };
}

describe.each(BALANCE_STRATEGY_NAMES)('replays under BALANCE_STRATEGY=%s', (strategy) => {
  beforeAll(() => {
    process.env.REDIS_URL ??= process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    useBalanceStrategy(strategy);
  });

  const charge = (who: Learner, amount: number, requestId = randomUUID()) =>
    who.caller.wallet.charge({ amount, requestId });
  const pay = (who: Learner, courseId: string, requestId = randomUUID()) =>
    who.caller.wallet.pay({ courseId, requestId });

  describe('wallet.charge', () => {
    it('answers the first charge after the balance moved: charges, a purchase, its refund', async () => {
      const me = await learner();
      const requestId = randomUUID();
      const first = await charge(me, 30_000, requestId);
      await charge(me, 10_000);
      const course = await createCourse(t.db, 25_000);
      const paid = await pay(me, course.id);
      await me.caller.payment.cancel({ orderId: paid.orderId, reason: 'changed my mind' });
      await pay(me, (await createCourse(t.db, 5_000)).id);

      const again = await replayChangesNothing(me, () => charge(me, 30_000, requestId));
      expect(again).toEqual({ reason: 'OK', answer: first });
      expect(first.balance).toBe(30_000);
    });

    it('keeps a refused charge refused after room was made', async () => {
      const me = await learner();
      await charge(me, 100_000);
      const requestId = randomUUID();
      expect(await reasonOf(charge(me, 1, requestId))).toBe('BALANCE_LIMIT_EXCEEDED');
      await pay(me, (await createCourse(t.db, 10_000)).id);

      const again = await replayChangesNothing(me, () => charge(me, 1, requestId));
      expect(again.reason).toBe('BALANCE_LIMIT_EXCEEDED');
      expect((await books(me)).balance).toBe(90_000);
    });

    it('answers a charge recorded under the other charge path (atomic ↔ interactive)', async () => {
      const me = await learner();
      const requestId = randomUUID();
      const other: BalanceStrategyName = strategy === 'atomic' ? 'for-update' : 'atomic';
      useBalanceStrategy(other);
      const first = await charge(me, 7_000, requestId).finally(() => useBalanceStrategy(strategy));
      await charge(me, 1_000);

      const again = await replayChangesNothing(me, () => charge(me, 7_000, requestId));
      expect(again).toEqual({ reason: 'OK', answer: first });
    });

    it('refuses the same requestId with another amount or as a purchase: IDEMPOTENCY_KEY_REUSED', async () => {
      const me = await learner();
      const requestId = randomUUID();
      await charge(me, 20_000, requestId);
      const course = await createCourse(t.db, 5_000);
      await pay(me, course.id);

      expect((await replayChangesNothing(me, () => charge(me, 20_001, requestId))).reason).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      const asPurchase = await replayChangesNothing(me, () => pay(me, course.id, requestId));
      expect(asPurchase.reason).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('wallet.pay', () => {
    /** A learner with 50,000 won who bought a 20,000 won course with `requestId`. */
    async function purchase() {
      const me = await learner();
      await charge(me, 50_000);
      const course = await createCourse(t.db, 20_000, `course ${randomUUID()}`);
      const requestId = randomUUID();
      const first = await pay(me, course.id, requestId);
      expect(first).toMatchObject({ balance: 30_000, enrollment: { orderId: first.orderId } });
      const replay = () => replayChangesNothing(me, () => pay(me, course.id, requestId));
      return { me, course, requestId, first, replay };
    }

    it('answers the first purchase after the balance moved', async () => {
      const { me, first, replay } = await purchase();
      await charge(me, 40_000);
      await pay(me, (await createCourse(t.db, 3_000)).id);
      expect(await replay()).toEqual({ reason: 'OK', answer: first });
    });

    it('answers the first purchase after a partial refund', async () => {
      const { me, first, replay } = await purchase();
      await admin.caller.payment.cancel({ orderId: first.orderId, reason: 'partial', amount: 5_000 });
      expect(await replay()).toEqual({ reason: 'OK', answer: first });
      expect((await books(me)).balance).toBe(35_000);
    });

    it('answers the first purchase after a full refund ended the enrollment', async () => {
      const { me, first, replay } = await purchase();
      await me.caller.payment.cancel({ orderId: first.orderId, reason: 'changed my mind' });
      expect(await replay()).toEqual({ reason: 'OK', answer: first });
      const after = await books(me);
      expect(after.balance).toBe(50_000);
      expect(after.enrollments).toEqual([]);
      expect(after.ledger.map((e) => e.type)).toEqual(['CHARGE', 'PAYMENT', 'REFUND']);
      expect(await t.db.endedEnrollment.findMany({ where: { orderId: first.orderId } })).toEqual([
        { ...first.enrollment, endedAt: expect.any(Date) },
      ]);
      await expect(t.db.endedEnrollment.deleteMany({ where: { orderId: first.orderId } })).rejects.toThrow(
        /append-only/,
      );
    });

    it('answers the first purchase after two partial refunds ended it', async () => {
      const { me, first, replay } = await purchase();
      await admin.caller.payment.cancel({ orderId: first.orderId, reason: 'a', amount: 5_000 });
      await admin.caller.payment.cancel({ orderId: first.orderId, reason: 'b' });
      expect(await replay()).toEqual({ reason: 'OK', answer: first });
      expect((await books(me)).balance).toBe(50_000);
    });

    it('answers the first purchase, not the new one, after a refund and a purchase again', async () => {
      const { me, course, first, replay } = await purchase();
      await me.caller.payment.cancel({ orderId: first.orderId, reason: 'changed my mind' });
      const second = await pay(me, course.id);
      expect(second.orderId).not.toBe(first.orderId);
      expect(await replay()).toEqual({ reason: 'OK', answer: first });
      const after = await books(me);
      expect(after.enrollments).toEqual([expect.objectContaining({ id: second.enrollment.id })]);
      expect(after.balance).toBe(30_000);
    });

    it('refuses clearly, saying why, when the ended enrollment was never kept (an older database)', async () => {
      const { me, first, replay } = await purchase();
      await me.caller.payment.cancel({ orderId: first.orderId, reason: 'changed my mind' });
      // As refunds did before ended enrollments were kept: the enrollment simply deleted.
      await t.db.$transaction([
        t.db.$executeRaw`SET LOCAL session_replication_role = replica`,
        t.db.$executeRaw`DELETE FROM ended_enrollment WHERE order_id = ${first.orderId}`,
      ]);
      expect((await replay()).reason).toBe('PURCHASE_REFUNDED');
    });

    it('answers the first purchase after its refund was owed by bank transfer', async () => {
      const { me, first, replay } = await purchase();
      await charge(me, 70_000);
      const refund = await me.caller.payment.cancel({ orderId: first.orderId, reason: 'x' });
      expect(refund.refund.destination).toBe('BANK_TRANSFER');
      expect(await replay()).toEqual({ reason: 'OK', answer: first });
      expect((await books(me)).balance).toBe(100_000);
    });

    it('answers the first purchase after the course’s price changed; the course cannot be deleted', async () => {
      const { me, course, first, replay } = await purchase();
      await t.db.course.update({ where: { id: course.id }, data: { price: 45_000 } });
      expect(await replay()).toEqual({ reason: 'OK', answer: first });
      await me.caller.payment.cancel({ orderId: first.orderId, reason: 'x' });
      // Its ledger entry, order and ended enrollment all hold on to it.
      await expect(t.db.course.delete({ where: { id: course.id } })).rejects.toThrow();
      expect(await replay()).toEqual({ reason: 'OK', answer: first });
    });

    it('keeps a refused purchase refused after the balance allows it', async () => {
      const me = await learner();
      const course = await createCourse(t.db, 20_000);
      const requestId = randomUUID();
      expect(await reasonOf(pay(me, course.id, requestId))).toBe('INSUFFICIENT_BALANCE');
      await charge(me, 50_000);
      const again = await replayChangesNothing(me, () => pay(me, course.id, requestId));
      expect(again.reason).toBe('INSUFFICIENT_BALANCE');
      expect((await books(me)).enrollments).toEqual([]);
    });

    it('keeps a purchase refused as ALREADY_PURCHASED refused after the owned one was refunded', async () => {
      const { me, course, first } = await purchase();
      const requestId = randomUUID();
      expect(await reasonOf(pay(me, course.id, requestId))).toBe('ALREADY_PURCHASED');
      await me.caller.payment.cancel({ orderId: first.orderId, reason: 'x' });
      const again = await replayChangesNothing(me, () => pay(me, course.id, requestId));
      expect(again.reason).toBe('ALREADY_PURCHASED');
    });

    it('refuses the same requestId for another course or as a charge: IDEMPOTENCY_KEY_REUSED', async () => {
      const { me, requestId, first } = await purchase();
      await me.caller.payment.cancel({ orderId: first.orderId, reason: 'x' });
      const other = await createCourse(t.db, 1_000);
      const otherCourse = await replayChangesNothing(me, () => pay(me, other.id, requestId));
      expect(otherCourse.reason).toBe('IDEMPOTENCY_KEY_REUSED');
      const asCharge = await replayChangesNothing(me, () => charge(me, 20_000, requestId));
      expect(asCharge.reason).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });
});
