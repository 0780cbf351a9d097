import { findCourse } from '../../building-blocks/course/course.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { logger } from '../../building-blocks/log';
import { findOrder } from '../../building-blocks/order/order.repository';
import {
  type CheckoutIntentPayload,
  checkoutIntentPayload,
} from '../../building-blocks/schemas/checkout-intent.schemas';
import {
  intentSignatureMatches,
  MAX_INTENT_LIFETIME_SECONDS,
  readIntent,
} from '../../building-blocks/service-auth/checkout-intent';
import {
  findServiceKey,
  markServiceKeyUsed,
} from '../../building-blocks/service-auth/service-key.repository';
import { openOrder } from '../orders/create-order';
import { secretsOf } from './service-keys';
import { runServiceRequest } from './service-request';

/**
 * A learner opens a service's signed checkout link (/checkout?intent=…). It is checked in this order:
 * well-formed; its key exists, is not revoked and holds orders:write; the signature is the key's (either
 * secret during a rotation's overlap); not expired, and `exp` at most 24 h ahead; the signed-in learner is
 * the one it names. Then the order is made once per (key, reference): the same link again, or another
 * link with the same fields and a later `exp`, gets that order; the same reference with other fields is
 * refused. An unknown, revoked or unscoped key is refused as any bad link is (CHECKOUT_LINK_INVALID), so
 * a link never tells whether a key exists; the log says which it was.
 */
export async function openCheckoutIntent(
  db: Db,
  sealingKey: Buffer | null,
  learner: { id: string; email: string },
  intent: string,
  now: Date = new Date(),
): Promise<{ orderId: string; status: string }> {
  const { payload, serviceKeyId } = await verifyIntent(db, sealingKey, intent, now);
  const named = payload.userId ? payload.userId === learner.id : payload.userEmail === learner.email;
  if (!named) throw new DomainError('CHECKOUT_LINK_OTHER_ACCOUNT');

  const order =
    payload.type === 'COURSE'
      ? { type: 'COURSE' as const, courseId: payload.courseId }
      : { type: 'CHARGE' as const, amount: payload.amount, orderName: payload.orderName };
  const opened = await runServiceRequest(
    db,
    {
      serviceKeyId,
      // Apart from service.orders.create's requestIds: a reference may be used there too.
      requestId: `checkout-intent:${payload.reference}`,
      operation: 'checkout.intent',
      // What the order is, not how the link was made: a new link for it (a later exp, the learner named
      // by email instead of id, a COURSE link stating the price) finds the same order.
      payload: { userId: learner.id, ...order },
    },
    async (tx) => {
      if (payload.type === 'COURSE' && payload.amount !== undefined) {
        const course = await findCourse(tx, payload.courseId);
        if (course && course.price !== payload.amount) throw new DomainError('CHECKOUT_LINK_PRICE_CHANGED');
      }
      const created = await openOrder(tx, learner.id, order);
      return { subjectId: created.orderId, value: { orderId: created.orderId, status: created.status } };
    },
    async (tx, orderId) => {
      const earlier = await findOrder(tx, orderId);
      if (!earlier) throw new DomainError('ORDER_NOT_FOUND');
      if (payload.amount !== undefined && earlier.amount !== payload.amount)
        throw new DomainError('CHECKOUT_LINK_PRICE_CHANGED');
      return { orderId: earlier.id, status: earlier.status };
    },
  ).catch((error: unknown) => {
    if (error instanceof DomainError && error.reason === 'IDEMPOTENCY_KEY_REUSED')
      throw new DomainError('CHECKOUT_LINK_REUSED');
    throw error;
  });
  await markServiceKeyUsed(db, serviceKeyId);
  return opened;
}

/** The payload of a link that verifies and its key's row id, or the refusal. */
async function verifyIntent(
  db: Db,
  sealingKey: Buffer | null,
  intent: string,
  now: Date,
): Promise<{ payload: CheckoutIntentPayload; serviceKeyId: string }> {
  const read = readIntent(intent);
  if (!read) throw new DomainError('CHECKOUT_LINK_INVALID', 'The link is not <payload>.<signature>.');
  const parsed = checkoutIntentPayload.safeParse(read.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError('CHECKOUT_LINK_INVALID', `The link's payload is invalid: ${issue?.message ?? ''}`);
  }
  const payload = parsed.data;
  if (!sealingKey) throw new DomainError('SEALING_KEY_MISSING');
  const refuse = (cause: string) => {
    logger.warn({ keyId: payload.keyId, cause }, 'a checkout link was refused');
    return new DomainError('CHECKOUT_LINK_INVALID');
  };
  const row = await findServiceKey(db, payload.keyId);
  if (!row) throw refuse('no such service key');
  if (row.revokedAt) throw refuse('the service key is revoked');
  if (!row.scopes.includes('orders:write')) throw refuse('the service key lacks orders:write');
  if (!intentSignatureMatches(secretsOf(sealingKey, row, now), read.payloadText, read.signature))
    throw refuse('the signature does not match');
  const seconds = now.getTime() / 1000;
  if (payload.exp <= seconds) throw new DomainError('CHECKOUT_LINK_EXPIRED');
  if (payload.exp > seconds + MAX_INTENT_LIFETIME_SECONDS) {
    throw new DomainError('CHECKOUT_LINK_INVALID', 'The link expires more than 24 hours from now.');
  }
  return { payload, serviceKeyId: row.id };
}
