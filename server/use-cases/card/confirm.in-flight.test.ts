import { describe, expect, it } from 'vitest';
import { cardSuite } from '../../test/card-suite';
import { createCourse, signedInCaller } from '../../test/fixtures';
import { injectFault, shopperApproves } from '../../test/sandbox';

/**
 * Toss answers a confirm with ALREADY_PROCESSED_PAYMENT while the payment is still being processed (an
 * earlier confirm of ours, with another key, is in flight at Toss): the order must not be failed, since
 * Toss may approve it a moment later; it is left in doubt, and the next confirm or the janitor settles it.
 */
const suite = cardSuite({ checkBooks: true });

describe('a confirm that meets another one still in flight at Toss', () => {
  it('leaves the order IN_DOUBT (never FAILED while Toss may approve), and the next confirm approves it once', async () => {
    const { caller, user } = await signedInCaller(suite.t.db, 'in-flight', {
      toss: suite.server.toss(),
      waitForConfirmMs: 5_000,
    });
    const course = await createCourse(suite.t.db, 25_000);
    const order = await caller.order.create({ type: 'COURSE', courseId: course.id });
    const session = await shopperApproves(suite.server.sandboxUrl, order);
    await injectFault(suite.server.sandboxUrl, {
      match: { path: '/v1/payments/confirm', orderId: order.orderId },
      action: 'error',
      status: 400,
      code: 'ALREADY_PROCESSED_PAYMENT',
      times: 1,
    });

    const first = await caller.payment.confirm({ ...session, amount: order.amount });
    expect(first.order.status).toBe('IN_DOUBT');
    expect(await suite.t.db.enrollment.count({ where: { userId: user.id } })).toBe(0);

    const second = await caller.payment.confirm({ ...session, amount: order.amount });
    expect(second.order.status).toBe('APPROVED');
    expect(await suite.t.db.enrollment.count({ where: { userId: user.id, courseId: course.id } })).toBe(1);
  });
});
