import {
  approvedOrdersWithEffects,
  compositeOrdersOutOfStep,
  overRefundedOrders,
  requestIdsAppliedTwice,
  walletsWithHeldMismatch,
  walletsWithLedgerSums,
} from '../../building-blocks/books/books.repository';
import type { Db } from '../../building-blocks/db/client';
import { MAX_BALANCE, MIN_BALANCE } from '../../building-blocks/ledger/balance-rules';

/**
 * The books' own rules, checked in the database: reported, never fixed silently.
 * - every wallet's balance equals the sum of its ledger, and lies within 0..100,000;
 * - every APPROVED (or partly refunded) order has exactly one payment record and exactly one effect;
 * - refunds done never add up to more than the order's amount;
 * - no requestId was applied twice;
 * - every wallet's `held` equals the sum of its open holds (composite payments);
 * - a CAPTURED hold belongs to an approved order (or one refunded since), and an approved composite
 *   order has its hold CAPTURED.
 */

export interface Violation {
  rule:
    | 'WALLET_BALANCE_MISMATCH'
    | 'WALLET_OUT_OF_RANGE'
    | 'ORDER_PAYMENT_COUNT'
    | 'ORDER_EFFECT_COUNT'
    | 'REFUNDS_EXCEED_PAYMENT'
    | 'REQUEST_ID_APPLIED_TWICE'
    | 'WALLET_HELD_MISMATCH'
    | 'COMPOSITE_HOLD_MISMATCH';
  subject: string;
  detail: string;
}

export async function checkInvariants(db: Db): Promise<Violation[]> {
  const violations: Violation[] = [];

  const wallets = await walletsWithLedgerSums(db);
  for (const w of wallets) {
    const ledger = Number(w.ledger ?? 0);
    if (ledger !== w.balance) {
      violations.push({
        rule: 'WALLET_BALANCE_MISMATCH',
        subject: w.id,
        detail: `balance ${w.balance}, ledger sum ${ledger}`,
      });
    }
    if (w.balance < MIN_BALANCE || w.balance > MAX_BALANCE) {
      violations.push({ rule: 'WALLET_OUT_OF_RANGE', subject: w.id, detail: `balance ${w.balance}` });
    }
  }

  const orders = await approvedOrdersWithEffects(db);
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

  const overRefunded = await overRefundedOrders(db);
  for (const o of overRefunded) {
    violations.push({
      rule: 'REFUNDS_EXCEED_PAYMENT',
      subject: o.id,
      detail: `${o.done} refunded of ${o.amount}`,
    });
  }

  const twice = await requestIdsAppliedTwice(db);
  for (const r of twice) {
    violations.push({
      rule: 'REQUEST_ID_APPLIED_TWICE',
      subject: `${r.user_id}/${r.request_id}`,
      detail: `${r.n} entries`,
    });
  }
  for (const w of await walletsWithHeldMismatch(db)) {
    violations.push({
      rule: 'WALLET_HELD_MISMATCH',
      subject: w.id,
      detail: `held ${w.held}, open holds ${Number(w.open)}`,
    });
  }
  for (const o of await compositeOrdersOutOfStep(db)) {
    violations.push({
      rule: 'COMPOSITE_HOLD_MISMATCH',
      subject: o.id,
      detail: `order ${o.status}, hold ${o.hold ?? 'none'}`,
    });
  }
  return violations;
}
