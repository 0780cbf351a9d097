import type { Db } from '../../building-blocks/db/client';

/**
 * The books' own rules, checked in the database: reported, never fixed silently.
 * - every wallet's balance equals the sum of its ledger, and lies within 0..100,000;
 * - every APPROVED (or partly refunded) order has exactly one payment record and exactly one effect;
 * - refunds done never add up to more than the order's amount;
 * - no requestId was applied twice.
 */

export interface Violation {
  rule:
    | 'WALLET_BALANCE_MISMATCH'
    | 'WALLET_OUT_OF_RANGE'
    | 'ORDER_PAYMENT_COUNT'
    | 'ORDER_EFFECT_COUNT'
    | 'REFUNDS_EXCEED_PAYMENT'
    | 'REQUEST_ID_APPLIED_TWICE';
  subject: string;
  detail: string;
}

export async function checkInvariants(db: Db): Promise<Violation[]> {
  const violations: Violation[] = [];

  const wallets = await db.$queryRaw<{ id: string; balance: number; ledger: bigint | null }[]>`
    SELECT w.id, w.balance, (SELECT sum(amount) FROM wallet_transaction t WHERE t.wallet_id = w.id) AS ledger
      FROM wallet w`;
  for (const w of wallets) {
    const ledger = Number(w.ledger ?? 0);
    if (ledger !== w.balance) {
      violations.push({
        rule: 'WALLET_BALANCE_MISMATCH',
        subject: w.id,
        detail: `balance ${w.balance}, ledger sum ${ledger}`,
      });
    }
    if (w.balance < 0 || w.balance > 100_000) {
      violations.push({ rule: 'WALLET_OUT_OF_RANGE', subject: w.id, detail: `balance ${w.balance}` });
    }
  }

  const orders = await db.$queryRaw<
    { id: string; type: string; method: string; payments: bigint; effects: bigint }[]
  >`
    SELECT o.id, o.type::text AS type, o.method::text AS method,
           (SELECT count(*) FROM payment p WHERE p.order_id = o.id) AS payments,
           CASE
             WHEN o.type = 'COURSE' THEN (SELECT count(*) FROM enrollment e WHERE e.order_id = o.id)
             ELSE (SELECT count(*) FROM wallet_transaction t
                    WHERE t.order_id = o.id AND t.type = 'CHARGE' AND t.request_id LIKE 'sys:order:%')
           END AS effects
      FROM orders o
     WHERE o.status IN ('APPROVED', 'PARTIALLY_CANCELED')`;
  for (const o of orders) {
    if (Number(o.payments) !== 1) {
      violations.push({
        rule: 'ORDER_PAYMENT_COUNT',
        subject: o.id,
        detail: `${o.payments} payment records`,
      });
    }
    if (Number(o.effects) !== 1) {
      const what = o.type === 'COURSE' ? 'enrollments' : 'wallet credits';
      violations.push({ rule: 'ORDER_EFFECT_COUNT', subject: o.id, detail: `${o.effects} ${what}` });
    }
  }

  const overRefunded = await db.$queryRaw<{ id: string; amount: number; done: bigint }[]>`
    SELECT o.id, o.amount, coalesce(sum(r.amount) FILTER (WHERE r.status = 'DONE'), 0) AS done
      FROM orders o JOIN refund r ON r.order_id = o.id
     GROUP BY o.id, o.amount
    HAVING coalesce(sum(r.amount) FILTER (WHERE r.status = 'DONE'), 0) > o.amount`;
  for (const o of overRefunded) {
    violations.push({
      rule: 'REFUNDS_EXCEED_PAYMENT',
      subject: o.id,
      detail: `${o.done} refunded of ${o.amount}`,
    });
  }

  const twice = await db.$queryRaw<{ user_id: string; request_id: string; n: bigint }[]>`
    SELECT user_id, request_id, count(*) AS n FROM wallet_transaction GROUP BY user_id, request_id HAVING count(*) > 1`;
  for (const r of twice) {
    violations.push({
      rule: 'REQUEST_ID_APPLIED_TWICE',
      subject: `${r.user_id}/${r.request_id}`,
      detail: `${r.n} entries`,
    });
  }
  return violations;
}
