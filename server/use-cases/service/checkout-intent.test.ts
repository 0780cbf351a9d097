import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../building-blocks/db/client';
import { DOMAIN_REASONS } from '../../building-blocks/errors/domain-error';
import {
  type CheckoutIntentFields,
  intentSignature,
  signCheckoutIntent,
} from '../../building-blocks/service-auth/checkout-intent';
import type { ServiceScope } from '../../building-blocks/service-auth/scopes';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, signedInCaller, TEST_SEALING_KEY } from '../../test/fixtures';
import { createServiceKey, revokeServiceKey, rotateServiceKey } from './service-keys';

/** Signed checkout links, opened by the signed-in learner through order.openCheckoutIntent. */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

type Learner = Awaited<ReturnType<typeof signedInCaller>>;

function learner(db: Db, label = 'learner'): Promise<Learner> {
  return signedInCaller(db, label, { sealingKey: TEST_SEALING_KEY });
}

function key(scopes: ServiceScope[] = ['orders:write']) {
  return createServiceKey(t.db, TEST_SEALING_KEY, { name: 'course service', scopes });
}

const open = (who: Learner, intent: string) => who.caller.order.openCheckoutIntent({ intent });

/** How an open ended: the refusal's reason and whether its message is the reason's own (no detail). */
async function refusal(promise: Promise<unknown>): Promise<{ reason: string; plain: boolean }> {
  try {
    await promise;
    return { reason: 'OK', plain: false };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const reason = (error.cause as { reason?: keyof typeof DOMAIN_REASONS } | undefined)?.reason;
    if (!reason) return { reason: error.code, plain: false };
    return { reason, plain: error.message === DOMAIN_REASONS[reason].message };
  }
}

/** The same link with its payload changed (a field set to undefined is dropped) and its signature kept. */
function tampered(intent: string, changes: Record<string, unknown>): string {
  const [payloadText, signature] = intent.split('.');
  const payload = JSON.parse(Buffer.from(payloadText ?? '', 'base64url').toString('utf8'));
  return `${Buffer.from(JSON.stringify({ ...payload, ...changes })).toString('base64url')}.${signature}`;
}

const ordersOf = (userId: string) => t.db.order.count({ where: { userId } });

describe('a signed checkout link', () => {
  it('opens one order at the course price for the learner it names, however often it is opened', async () => {
    const service = await key();
    const me = await learner(t.db);
    const course = await createCourse(t.db, 30_000);
    const fields = { reference: 'order-1', userId: me.user.id, type: 'COURSE', courseId: course.id } as const;
    const intent = signCheckoutIntent(service, fields);

    const opened = await open(me, intent);
    expect(opened.status).toBe('CREATED');
    const order = await me.caller.order.get({ orderId: opened.orderId });
    expect(order).toMatchObject({ type: 'COURSE', courseId: course.id, amount: 30_000 });

    // Opened again, or a fresh link for the same order (a later exp, by email): the same order.
    expect(await open(me, intent)).toEqual(opened);
    const again = signCheckoutIntent(
      service,
      { ...fields, userId: undefined, userEmail: me.user.email, amount: 30_000 } as CheckoutIntentFields,
      { expiresInSeconds: 7200 },
    );
    expect((await open(me, again)).orderId).toBe(opened.orderId);
    expect(await ordersOf(me.user.id)).toBe(1);

    // The same reference for another order is refused; another reference is another order.
    const other = signCheckoutIntent(service, { ...fields, courseId: (await createCourse(t.db, 5_000)).id });
    expect(await refusal(open(me, other))).toMatchObject({ reason: 'CHECKOUT_LINK_REUSED' });
    expect(await ordersOf(me.user.id)).toBe(1);
  });

  it('opened at once from many tabs makes one order', async () => {
    const service = await key();
    const me = await learner(t.db);
    const course = await createCourse(t.db, 12_000);
    const intent = signCheckoutIntent(service, {
      reference: 'tabs',
      userEmail: me.user.email,
      type: 'COURSE',
      courseId: course.id,
    });
    const opened = await Promise.all(Array.from({ length: 6 }, () => open(me, intent)));
    expect(new Set(opened.map((o) => o.orderId)).size).toBe(1);
    expect(await ordersOf(me.user.id)).toBe(1);
  });

  it('opens a charge for the signed amount and order name', async () => {
    const service = await key();
    const me = await learner(t.db);
    const intent = signCheckoutIntent(service, {
      reference: 'charge-1',
      userId: me.user.id,
      type: 'CHARGE',
      amount: 7_000,
      orderName: '학습 포인트 충전',
    });
    const opened = await open(me, intent);
    expect(await me.caller.order.get({ orderId: opened.orderId })).toMatchObject({
      type: 'CHARGE',
      amount: 7_000,
      orderName: '학습 포인트 충전',
      status: 'CREATED',
    });
  });

  it('refuses a link with any field changed after signing, and makes no order', async () => {
    const service = await key();
    const another = await key();
    const me = await learner(t.db);
    const thief = await learner(t.db, 'thief');
    const course = await createCourse(t.db, 50_000);
    const cheap = await createCourse(t.db, 1_000);
    const courseLink = signCheckoutIntent(service, {
      reference: 'tamper-course',
      userId: me.user.id,
      type: 'COURSE',
      courseId: course.id,
      amount: 50_000,
    });
    const chargeLink = signCheckoutIntent(service, {
      reference: 'tamper-charge',
      userEmail: me.user.email,
      type: 'CHARGE',
      amount: 50_000,
      orderName: '포인트 충전',
    });
    const [payloadText, signature] = courseLink.split('.') as [string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;

    const cases: [string, Learner, string][] = [
      ['keyId', me, tampered(courseLink, { keyId: another.keyId })],
      ['reference', me, tampered(courseLink, { reference: 'tamper-other' })],
      ['userId', thief, tampered(courseLink, { userId: thief.user.id })],
      ['userEmail', thief, tampered(chargeLink, { userEmail: thief.user.email })],
      ['courseId', me, tampered(courseLink, { courseId: cheap.id, amount: 1_000 })],
      ['amount', me, tampered(chargeLink, { amount: 100 })],
      ['orderName', me, tampered(chargeLink, { orderName: '무료 충전' })],
      ['exp', me, tampered(courseLink, { exp: Math.floor(Date.now() / 1000) + 7200 })],
      ['type', me, tampered(chargeLink, { type: 'COURSE', courseId: course.id, orderName: undefined })],
      ['signature', me, `${payloadText}.${flipped}`],
      ['signature by another key', me, `${payloadText}.${intentSignature(another.secret, payloadText)}`],
    ];
    for (const [field, who, intent] of cases) {
      // Refused at the signature: the plain message, never one naming what was wrong.
      expect({ field, ...(await refusal(open(who, intent))) }).toEqual({
        field,
        reason: 'CHECKOUT_LINK_INVALID',
        plain: true,
      });
    }
    expect(await ordersOf(me.user.id)).toBe(0);
    expect(await ordersOf(thief.user.id)).toBe(0);
  });

  it('refuses an expired link, one too far ahead, and one that is not a link at all', async () => {
    const service = await key();
    const me = await learner(t.db);
    const course = await createCourse(t.db, 9_000);
    const fields = { reference: 'late', userId: me.user.id, type: 'COURSE', courseId: course.id } as const;
    const now = Math.floor(Date.now() / 1000);
    const expired = signCheckoutIntent(service, { ...fields, exp: now - 1 });
    expect(await refusal(open(me, expired))).toMatchObject({ reason: 'CHECKOUT_LINK_EXPIRED' });
    const distant = signCheckoutIntent(service, { ...fields, exp: now + 25 * 3600 });
    expect(await refusal(open(me, distant))).toMatchObject({ reason: 'CHECKOUT_LINK_INVALID' });
    for (const garbage of ['nonsense', 'a.b', `${'x'.repeat(60)}.${'y'.repeat(43)}`]) {
      expect(await refusal(open(me, garbage))).toMatchObject({ reason: 'CHECKOUT_LINK_INVALID' });
    }
    // A payload that is not one (signed or not) is refused before any key is looked up.
    const unknownField = signCheckoutIntent(service, { ...fields, extra: 1 } as CheckoutIntentFields);
    expect(await refusal(open(me, unknownField))).toMatchObject({ reason: 'CHECKOUT_LINK_INVALID' });
    expect(await refusal(open(me, 'x'.repeat(3000)))).toMatchObject({ reason: 'BAD_REQUEST' });
    expect(await ordersOf(me.user.id)).toBe(0);
  });

  it('refuses a revoked key, a key without orders:write, and an unknown key alike', async () => {
    const revoked = await key();
    const readOnly = await key(['orders:read', 'wallet:read']);
    const me = await learner(t.db);
    const course = await createCourse(t.db, 9_000);
    const fields = { reference: 'k', userId: me.user.id, type: 'COURSE', courseId: course.id } as const;
    const revokedLink = signCheckoutIntent(revoked, fields);
    await revokeServiceKey(t.db, revoked.keyId);
    const unknown = { keyId: `pk_${'Z'.repeat(24)}`, secret: 'sk_unknown' };
    for (const intent of [
      revokedLink,
      signCheckoutIntent(readOnly, fields),
      signCheckoutIntent(unknown, fields),
    ]) {
      expect(await refusal(open(me, intent))).toEqual({ reason: 'CHECKOUT_LINK_INVALID', plain: true });
    }
    expect(await ordersOf(me.user.id)).toBe(0);
  });

  it("takes a rotated key's previous secret during the overlap only", async () => {
    const service = await key();
    const me = await learner(t.db);
    const course = await createCourse(t.db, 9_000);
    const fields = { userId: me.user.id, type: 'COURSE', courseId: course.id } as const;
    const before = signCheckoutIntent(service, { ...fields, reference: 'rot-1' });
    await rotateServiceKey(t.db, TEST_SEALING_KEY, service.keyId, 1);
    expect((await open(me, before)).status).toBe('CREATED');

    const later = signCheckoutIntent(service, { ...fields, reference: 'rot-2' });
    const rotated = await rotateServiceKey(t.db, TEST_SEALING_KEY, service.keyId, 0);
    expect(await refusal(open(me, later))).toMatchObject({ reason: 'CHECKOUT_LINK_INVALID' });
    const fresh = signCheckoutIntent(rotated, { ...fields, reference: 'rot-2' });
    expect((await open(me, fresh)).status).toBe('CREATED');
    expect(await ordersOf(me.user.id)).toBe(1 + 1);
  });

  it('refuses another signed-in learner, and a course amount that is not the price', async () => {
    const service = await key();
    const me = await learner(t.db);
    const other = await learner(t.db, 'other');
    const course = await createCourse(t.db, 20_000);
    const byId = signCheckoutIntent(service, {
      reference: 'mine',
      userId: me.user.id,
      type: 'COURSE',
      courseId: course.id,
    });
    const byEmail = signCheckoutIntent(service, {
      reference: 'mine-2',
      userEmail: me.user.email,
      type: 'CHARGE',
      amount: 5_000,
      orderName: '충전',
    });
    for (const intent of [byId, byEmail]) {
      expect(await refusal(open(other, intent))).toMatchObject({ reason: 'CHECKOUT_LINK_OTHER_ACCOUNT' });
    }
    const wrongPrice = signCheckoutIntent(service, {
      reference: 'price',
      userId: me.user.id,
      type: 'COURSE',
      courseId: course.id,
      amount: 15_000,
    });
    expect(await refusal(open(me, wrongPrice))).toMatchObject({ reason: 'CHECKOUT_LINK_PRICE_CHANGED' });
    expect(await ordersOf(me.user.id)).toBe(0);
    expect(await ordersOf(other.user.id)).toBe(0);
  });
});
