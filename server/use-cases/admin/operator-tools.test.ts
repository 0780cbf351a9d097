import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../building-blocks/alert/operator-alert.repository';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, reasonOf, signedInCaller } from '../../test/fixtures';
import { setAdmin } from '../auth/admin-role';
import { checkInvariants } from './invariants';
import { kstDay } from './report-range';

let t: TestDatabase;
let admin: Awaited<ReturnType<typeof signedInCaller>>;
beforeAll(async () => {
  t = await createTestDatabase({ poolSize: 20 });
  admin = await signedInCaller(t.db, 'admin', { admin: true });
});
afterAll(async () => {
  await t.drop();
});

const learner = (label = 'learner') => signedInCaller(t.db, label);
const auditCount = () => t.db.adminAction.count();
const ledgerOf = (userId: string) =>
  t.db.walletTransaction.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
const balanceOf = async (userId: string) =>
  (await t.db.wallet.findUnique({ where: { userId } }))?.balance ?? 0;

async function charged(amount: number) {
  const me = await learner();
  if (amount > 0) await me.caller.wallet.charge({ amount, requestId: randomUUID() });
  return me;
}

const adjustment = (email: string, direction: 'CREDIT' | 'DEBIT', amount: number, reason = '보상 지급') => ({
  email,
  direction,
  amount,
  reason,
  requestId: randomUUID(),
});

async function alertOnNewOrder(kind = `BANK_TRANSFER_REFUND:${randomUUID()}`) {
  const me = await learner();
  const course = await createCourse(t.db, 5_000, `알림 강의 ${randomUUID().slice(0, 6)}`);
  const order = await me.caller.order.create({ type: 'COURSE', courseId: course.id });
  await raiseAlert(t.db, order.orderId, kind, 'Refund 5,000 won by bank transfer.');
  const alert = await t.db.operatorAlert.findFirstOrThrow({ where: { orderId: order.orderId } });
  return { alert, order };
}

describe('every operator tool is for admins only', () => {
  it('answers FORBIDDEN to a learner, and nothing changes', async () => {
    const me = await charged(10_000);
    const other = await charged(10_000);
    const course = await createCourse(t.db, 7_000, '그대로인 강의');
    const { alert } = await alertOnNewOrder();
    const audits = await auditCount();
    const courses = await t.db.course.count();

    const calls: Promise<unknown>[] = [
      me.caller.admin.adjustWallet(adjustment(other.user.email, 'CREDIT', 5_000)),
      me.caller.admin.adjustWallet(adjustment(me.user.email, 'CREDIT', 5_000)),
      me.caller.admin.createCourse({ title: '몰래', description: '', price: 1_000, requestId: randomUUID() }),
      me.caller.admin.updateCourse({ courseId: course.id, price: 100 }),
      me.caller.admin.retireCourse({ courseId: course.id, reason: '몰래' }),
      me.caller.admin.courses(),
      me.caller.admin.alertList({}),
      me.caller.admin.acknowledgeAlert({ alertId: alert.id, note: '몰래' }),
      me.caller.admin.resolveAlert({ alertId: alert.id, note: '몰래' }),
      me.caller.admin.auditLog({}),
    ];
    for (const call of calls) expect(await reasonOf(call)).toBe('FORBIDDEN');

    expect(await balanceOf(me.user.id)).toBe(10_000);
    expect(await balanceOf(other.user.id)).toBe(10_000);
    expect(await t.db.course.findUniqueOrThrow({ where: { id: course.id } })).toMatchObject({
      price: 7_000,
      retiredAt: null,
    });
    expect(await t.db.course.count()).toBe(courses);
    expect(await t.db.operatorAlert.findUniqueOrThrow({ where: { id: alert.id } })).toMatchObject({
      acknowledgedAt: null,
      resolvedAt: null,
    });
    expect(await auditCount()).toBe(audits);
  });
});

describe('wallet adjustment', () => {
  it('credits and debits through the ledger, audited with the balance before and after', async () => {
    const me = await charged(20_000);
    const credit = await admin.caller.admin.adjustWallet(
      adjustment(me.user.email.toUpperCase(), 'CREDIT', 3_000, '이벤트 보상'),
    );
    expect(credit).toMatchObject({ amount: 3_000, balanceBefore: 20_000, balanceAfter: 23_000 });
    const debit = await admin.caller.admin.adjustWallet(
      adjustment(me.user.email, 'DEBIT', 1_500, '중복 지급 회수'),
    );
    expect(debit).toMatchObject({ amount: -1_500, balanceBefore: 23_000, balanceAfter: 21_500 });

    expect((await me.caller.wallet.get()).balance).toBe(21_500);
    const history = await me.caller.wallet.transactions({ limit: 10 });
    expect(history.items.map((i) => [i.type, i.amount, i.balanceAfter])).toEqual([
      ['ADJUSTMENT', -1_500, 21_500],
      ['ADJUSTMENT', 3_000, 23_000],
      ['CHARGE', 20_000, 20_000],
    ]);

    const log = await admin.caller.admin.auditLog({ subject: me.user.email });
    expect(log.items.map((i) => [i.action, i.adminEmail, i.reason, i.details])).toEqual([
      [
        'WALLET_ADJUSTMENT',
        admin.user.email,
        '중복 지급 회수',
        expect.objectContaining({ amount: -1_500, before: { balance: 23_000 }, after: { balance: 21_500 } }),
      ],
      [
        'WALLET_ADJUSTMENT',
        admin.user.email,
        '이벤트 보상',
        expect.objectContaining({ amount: 3_000, before: { balance: 20_000 }, after: { balance: 23_000 } }),
      ],
    ]);
    expect(log.items[0]).toMatchObject({
      subjectType: 'USER',
      subjectId: me.user.id,
      adminId: admin.user.id,
    });
  });

  it('applies once when replayed with the same requestId, even concurrently', async () => {
    const me = await charged(0);
    const input = adjustment(me.user.email, 'CREDIT', 4_000);
    const audits = await auditCount();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => admin.caller.admin.adjustWallet(input)),
    );
    const again = await admin.caller.admin.adjustWallet(input);
    for (const answer of [...answers, again]) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ balanceBefore: 0, balanceAfter: 4_000 });
    expect(await balanceOf(me.user.id)).toBe(4_000);
    expect(await ledgerOf(me.user.id)).toHaveLength(1);
    expect(await auditCount()).toBe(audits + 1);
  });

  it('refuses another request under a used requestId (IDEMPOTENCY_KEY_REUSED), changing nothing', async () => {
    const me = await charged(0);
    const input = adjustment(me.user.email, 'CREDIT', 4_000);
    await admin.caller.admin.adjustWallet(input);
    const audits = await auditCount();
    for (const changed of [
      { ...input, amount: 5_000 },
      { ...input, direction: 'DEBIT' as const },
      { ...input, reason: '다른 사유' },
      { ...input, email: (await learner()).user.email },
    ]) {
      expect(await reasonOf(admin.caller.admin.adjustWallet(changed))).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    expect(await balanceOf(me.user.id)).toBe(4_000);
    expect(await auditCount()).toBe(audits);
  });

  it('refuses to go past 100,000 or below 0 and writes nothing: no ledger row, no audit row', async () => {
    const me = await charged(98_000);
    const audits = await auditCount();
    const over = adjustment(me.user.email, 'CREDIT', 2_001);
    expect(await reasonOf(admin.caller.admin.adjustWallet(over))).toBe('BALANCE_LIMIT_EXCEEDED');
    // The refusal is the key's answer: the same request gets it again, even once it would fit.
    await me.caller.wallet.pay({
      courseId: (await createCourse(t.db, 10_000)).id,
      requestId: randomUUID(),
    });
    expect(await reasonOf(admin.caller.admin.adjustWallet(over))).toBe('BALANCE_LIMIT_EXCEEDED');
    expect(await reasonOf(admin.caller.admin.adjustWallet(adjustment(me.user.email, 'DEBIT', 88_001)))).toBe(
      'INSUFFICIENT_BALANCE',
    );
    expect(await balanceOf(me.user.id)).toBe(88_000);
    expect((await ledgerOf(me.user.id)).map((e) => e.type)).toEqual(['CHARGE', 'PAYMENT']);
    expect(await auditCount()).toBe(audits);
    // Right up to the limits is allowed.
    await admin.caller.admin.adjustWallet(adjustment(me.user.email, 'CREDIT', 12_000));
    await admin.caller.admin.adjustWallet(adjustment(me.user.email, 'DEBIT', 100_000));
    expect(await balanceOf(me.user.id)).toBe(0);
  });

  it('refuses bad input, unknown emails and an admin’s own wallet, writing nothing', async () => {
    const me = await charged(1_000);
    const audits = await auditCount();
    for (const bad of [
      { amount: 0 },
      { amount: 100_001 },
      { amount: 1.5 },
      { amount: -500 },
      { reason: '' },
      { reason: '   ' },
      { reason: 'x'.repeat(501) },
      { email: 'not-an-email' },
      { direction: 'GIFT' },
      { requestId: 'sys:adjustment' },
    ]) {
      const input = { ...adjustment(me.user.email, 'CREDIT', 1_000), ...bad } as never;
      expect(await reasonOf(admin.caller.admin.adjustWallet(input))).toBe('INVALID_INPUT');
    }
    expect(
      await reasonOf(
        admin.caller.admin.adjustWallet(adjustment(`nobody-${randomUUID()}@example.com`, 'CREDIT', 1)),
      ),
    ).toBe('USER_NOT_FOUND');
    expect(
      await reasonOf(admin.caller.admin.adjustWallet(adjustment(admin.user.email, 'CREDIT', 1_000))),
    ).toBe('OWN_WALLET_ADJUSTMENT');
    expect(await balanceOf(me.user.id)).toBe(1_000);
    expect(await balanceOf(admin.user.id)).toBe(0);
    expect(await auditCount()).toBe(audits);
  });

  it('keeps every balance equal to its ledger under concurrent adjustments and purchases', async () => {
    const me = await charged(50_000);
    const course = await createCourse(t.db, 30_000);
    const admin2 = await signedInCaller(t.db, 'admin2', { admin: true });
    const calls: Promise<unknown>[] = Array.from({ length: 30 }, (_, i) =>
      (i % 2 ? admin2 : admin).caller.admin.adjustWallet(
        adjustment(me.user.email, i % 3 === 0 ? 'DEBIT' : 'CREDIT', 7_000 + i),
      ),
    );
    calls.push(me.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() }));
    const outcomes = await Promise.all(calls.map((c) => reasonOf(c)));
    expect(outcomes.every((o) => ['OK', 'BALANCE_LIMIT_EXCEEDED', 'INSUFFICIENT_BALANCE'].includes(o))).toBe(
      true,
    );
    expect(outcomes).toContain('OK');

    const ledger = await ledgerOf(me.user.id);
    expect(ledger.reduce((sum, e) => sum + e.amount, 0)).toBe(await balanceOf(me.user.id));
    const adjustments = ledger.filter((e) => e.type === 'ADJUSTMENT').length;
    expect(await t.db.adminAction.count({ where: { subjectId: me.user.id } })).toBe(adjustments);
    expect(await checkInvariants(t.db)).toEqual([]);
  });
});

describe('courses', () => {
  it('creates a course once per requestId, on sale at once, audited', async () => {
    const requestId = randomUUID();
    const input = {
      title: '  새 강의: 결제 입문  ',
      description: '토스 결제 기초',
      price: 12_000,
      requestId,
    };
    const [first, second] = await Promise.all([
      admin.caller.admin.createCourse(input),
      admin.caller.admin.createCourse(input),
    ]);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ title: '새 강의: 결제 입문', price: 12_000, retiredAt: null });
    expect(await t.db.course.count({ where: { title: '새 강의: 결제 입문' } })).toBe(1);
    const catalogue = await (await learner()).caller.course.list();
    expect(catalogue.find((c) => c.id === first.id)).toMatchObject({ price: 12_000, purchased: false });
    expect((await admin.caller.admin.courses()).map((c) => c.id)).toContain(first.id);
    const log = await admin.caller.admin.auditLog({ subject: first.id });
    expect(log.items.map((i) => [i.action, i.details])).toEqual([
      [
        'COURSE_CREATE',
        {
          before: null,
          after: { title: '새 강의: 결제 입문', description: '토스 결제 기초', price: 12_000 },
        },
      ],
    ]);
    expect(await reasonOf(admin.caller.admin.createCourse({ ...input, title: '다른 강의' }))).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('refuses titles and prices out of bounds, in Korean, creating nothing', async () => {
    const courses = await t.db.course.count();
    const base = { title: '강의', description: '', price: 10_000 };
    for (const bad of [
      { title: '' },
      { title: '   ' },
      { title: '가'.repeat(101) },
      { title: '줄\n바꿈' },
      { price: 99 },
      { price: 10_000_001 },
      { price: 1_000.5 },
      { price: -1_000 },
      { description: 'x'.repeat(2_001) },
    ]) {
      const call = admin.caller.admin.createCourse({ ...base, ...bad, requestId: randomUUID() });
      expect(await reasonOf(call)).toBe('INVALID_INPUT');
    }
    const error = await admin.caller.admin
      .createCourse({ ...base, price: 99, requestId: randomUUID() })
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).toContain('가격은 100원 이상이어야 해요.');
    expect(await t.db.course.count()).toBe(courses);
    // The edges are allowed.
    await admin.caller.admin.createCourse({
      ...base,
      title: '가'.repeat(100),
      price: 100,
      requestId: randomUUID(),
    });
    await admin.caller.admin.createCourse({ ...base, price: 10_000_000, requestId: randomUUID() });
  });

  it('changes a price for new orders only: an order already created keeps its amount', async () => {
    const course = await admin.caller.admin.createCourse({
      title: '가격 바뀌는 강의',
      description: '',
      price: 20_000,
      requestId: randomUUID(),
    });
    const early = await learner();
    const earlyOrder = await early.caller.order.create({ type: 'COURSE', courseId: course.id });
    expect(earlyOrder.amount).toBe(20_000);

    const updated = await admin.caller.admin.updateCourse({
      courseId: course.id,
      price: 25_000,
      title: '새 이름',
    });
    expect(updated).toMatchObject({ price: 25_000, title: '새 이름' });

    expect(await early.caller.order.get({ orderId: earlyOrder.orderId })).toMatchObject({ amount: 20_000 });
    expect(await t.db.order.findUniqueOrThrow({ where: { id: earlyOrder.orderId } })).toMatchObject({
      amount: 20_000,
      orderName: '가격 바뀌는 강의',
    });
    const late = await learner();
    expect((await late.caller.order.create({ type: 'COURSE', courseId: course.id })).amount).toBe(25_000);

    const log = await admin.caller.admin.auditLog({ subject: course.id, action: 'COURSE_UPDATE' });
    expect(log.items.map((i) => i.details)).toEqual([
      { before: { title: '가격 바뀌는 강의', price: 20_000 }, after: { title: '새 이름', price: 25_000 } },
    ]);
    // An edit to the same values is no change, and no audit row.
    await admin.caller.admin.updateCourse({ courseId: course.id, price: 25_000 });
    expect(
      (await admin.caller.admin.auditLog({ subject: course.id, action: 'COURSE_UPDATE' })).items,
    ).toHaveLength(1);
    expect(await reasonOf(admin.caller.admin.updateCourse({ courseId: course.id }))).toBe('INVALID_INPUT');
    expect(await reasonOf(admin.caller.admin.updateCourse({ courseId: randomUUID(), price: 1_000 }))).toBe(
      'NOT_FOUND',
    );
  });

  it('retires a course: off the catalogue, refused by balance and by card, kept in old orders', async () => {
    const course = await admin.caller.admin.createCourse({
      title: '곧 내려갈 강의',
      description: '',
      price: 8_000,
      requestId: randomUUID(),
    });
    const owner = await charged(10_000);
    const bought = await owner.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    const buyer = await charged(10_000);
    const audits = await auditCount();

    const retired = await admin.caller.admin.retireCourse({ courseId: course.id, reason: '강의 종료' });
    expect(retired.retiredAt).toBeInstanceOf(Date);
    expect((await buyer.caller.course.list()).map((c) => c.id)).not.toContain(course.id);
    expect(await reasonOf(buyer.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() }))).toBe(
      'COURSE_RETIRED',
    );
    expect(await reasonOf(buyer.caller.order.create({ type: 'COURSE', courseId: course.id }))).toBe(
      'COURSE_RETIRED',
    );
    expect(await balanceOf(buyer.user.id)).toBe(10_000);
    expect(await t.db.order.count({ where: { userId: buyer.user.id } })).toBe(0);

    // The old purchase stands, with its course named in the owner's history.
    expect(await owner.caller.order.get({ orderId: bought.orderId })).toMatchObject({ status: 'APPROVED' });
    const history = await owner.caller.wallet.transactions({ limit: 5 });
    expect(history.items[0]).toMatchObject({ type: 'PAYMENT', courseTitle: '곧 내려갈 강의' });

    // Retiring again changes nothing.
    await admin.caller.admin.retireCourse({ courseId: course.id, reason: '다시' });
    expect(await auditCount()).toBe(audits + 1);
    const log = await admin.caller.admin.auditLog({ subject: course.id, action: 'COURSE_RETIRE' });
    expect(log.items).toMatchObject([{ reason: '강의 종료', details: { before: { retiredAt: null } } }]);
  });
});

describe('alerts', () => {
  it('are listed by state and kind, acknowledged and resolved once each with a note, audited', async () => {
    const { alert, order } = await alertOnNewOrder();
    const other = await alertOnNewOrder(`REFUND_IN_DOUBT:${randomUUID()}`);

    const open = await admin.caller.admin.alertList({ state: 'OPEN', kind: 'BANK_TRANSFER_REFUND' });
    expect(open.map((a) => a.id)).toContain(alert.id);
    expect(open.map((a) => a.id)).not.toContain(other.alert.id);
    expect(await admin.caller.admin.alertList({ orderId: order.orderId })).toMatchObject([
      { id: alert.id, state: 'OPEN', acknowledgedBy: null, resolvedBy: null },
    ]);

    const acked = await admin.caller.admin.acknowledgeAlert({ alertId: alert.id, note: '계좌 확인 중' });
    expect(acked).toMatchObject({
      state: 'ACKNOWLEDGED',
      acknowledgedBy: admin.user.email,
      acknowledgeNote: '계좌 확인 중',
    });
    expect(await reasonOf(admin.caller.admin.acknowledgeAlert({ alertId: alert.id }))).toBe(
      'ALERT_ALREADY_ACKNOWLEDGED',
    );
    expect((await admin.caller.admin.alertList({ state: 'OPEN' })).map((a) => a.id)).not.toContain(alert.id);
    expect((await admin.caller.admin.alertList({ state: 'ACKNOWLEDGED' })).map((a) => a.id)).toContain(
      alert.id,
    );

    expect(await reasonOf(admin.caller.admin.resolveAlert({ alertId: alert.id, note: '  ' }))).toBe(
      'INVALID_INPUT',
    );
    const second = await signedInCaller(t.db, 'admin3', { admin: true });
    const [a, b] = await Promise.all([
      reasonOf(admin.caller.admin.resolveAlert({ alertId: alert.id, note: '5,000원 계좌 이체 완료' })),
      reasonOf(second.caller.admin.resolveAlert({ alertId: alert.id, note: '이체함' })),
    ]);
    expect([a, b].sort()).toEqual(['ALERT_ALREADY_RESOLVED', 'OK']);
    const [resolved] = await admin.caller.admin.alertList({ state: 'RESOLVED', orderId: order.orderId });
    expect(resolved).toMatchObject({ state: 'RESOLVED', acknowledgedBy: admin.user.email });
    expect(resolved?.resolvedAt).toBeInstanceOf(Date);
    expect(await reasonOf(admin.caller.admin.acknowledgeAlert({ alertId: alert.id }))).toBe(
      'ALERT_ALREADY_RESOLVED',
    );
    expect(await reasonOf(admin.caller.admin.resolveAlert({ alertId: randomUUID(), note: 'x' }))).toBe(
      'ALERT_NOT_FOUND',
    );
    expect(await reasonOf(admin.caller.admin.resolveAlert({ alertId: 'nope', note: 'x' }))).toBe(
      'INVALID_INPUT',
    );
    // The janitor's list shows only what is still unresolved.
    expect((await admin.caller.admin.alerts()).map((x) => x.id)).not.toContain(alert.id);

    const log = await admin.caller.admin.auditLog({ subject: alert.id });
    expect(log.items.map((i) => [i.action, (i.details as { after: unknown }).after])).toEqual([
      ['ALERT_RESOLVE', { state: 'RESOLVED' }],
      ['ALERT_ACKNOWLEDGE', { state: 'ACKNOWLEDGED' }],
    ]);
  });
});

describe('the audit log', () => {
  it('cannot be changed or removed: the database refuses', async () => {
    const me = await charged(0);
    await admin.caller.admin.adjustWallet(adjustment(me.user.email, 'CREDIT', 1_000));
    const row = await t.db.adminAction.findFirstOrThrow({ where: { subjectId: me.user.id } });
    await expect(
      t.db.adminAction.update({ where: { id: row.id }, data: { reason: '고침' } }),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.adminAction.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe('TRUNCATE admin_action')).rejects.toThrow(/append-only|foreign key/);
    await expect(t.db.$executeRawUnsafe('DELETE FROM admin_action')).rejects.toThrow(/append-only/);
    expect(await t.db.adminAction.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      reason: row.reason,
    });
  });

  it('filters by kind, subject and day, and pages', async () => {
    const me = await charged(0);
    for (let i = 0; i < 3; i++) {
      await admin.caller.admin.adjustWallet(adjustment(me.user.email, 'CREDIT', 1_000));
    }
    const today = kstDay(new Date());
    const mine = await admin.caller.admin.auditLog({ subject: me.user.email, from: today, to: today });
    expect(mine.items).toHaveLength(3);
    expect(mine.items.every((i) => i.action === 'WALLET_ADJUSTMENT' && i.subjectId === me.user.id)).toBe(
      true,
    );
    expect((await admin.caller.admin.auditLog({ subject: me.user.id })).items).toHaveLength(3);
    expect(
      (await admin.caller.admin.auditLog({ subject: me.user.email, action: 'COURSE_CREATE' })).items,
    ).toEqual([]);
    expect(
      (await admin.caller.admin.auditLog({ subject: me.user.email, from: '2099-01-01', to: '2099-01-02' }))
        .items,
    ).toEqual([]);
    expect((await admin.caller.admin.auditLog({ subject: 'nobody@example.com' })).items).toEqual([]);

    const page1 = await admin.caller.admin.auditLog({ subject: me.user.email, limit: 2 });
    expect(page1.items).toHaveLength(2);
    const page2 = await admin.caller.admin.auditLog({
      subject: me.user.email,
      limit: 2,
      cursor: page1.nextCursor,
    });
    expect(page2).toMatchObject({ nextCursor: null });
    expect(page2.items).toHaveLength(1);

    expect(await reasonOf(admin.caller.admin.auditLog({ from: '2026-12-02', to: '2026-12-01' }))).toBe(
      'INVALID_INPUT',
    );
    expect(await reasonOf(admin.caller.admin.auditLog({ from: '0000-01-01' }))).toBe('INVALID_INPUT');
  });

  it('lists admin grants and revocations made on the command line, newest first, for admins only', async () => {
    const me = await charged(0);
    await setAdmin(t.db, { email: me.user.email, admin: true, reason: '운영 합류', changedBy: 'ops-kim' });
    await setAdmin(t.db, { email: me.user.email, admin: false, reason: '운영 종료', changedBy: 'ops-kim' });
    const mine = (await admin.caller.admin.roleChanges()).filter((c) => c.email === me.user.email);
    expect(mine.map((c) => [c.action, c.role, c.reason, c.changedBy])).toEqual([
      ['REVOKE', 'LEARNER', '운영 종료', 'ops-kim'],
      ['GRANT', 'ADMIN', '운영 합류', 'ops-kim'],
    ]);
    expect(await reasonOf(me.caller.admin.roleChanges())).toBe('FORBIDDEN');
  });
});
