import {
  cardPaymentsApproved,
  cardRefundsDone,
  undeliverableApprovals,
} from '../../building-blocks/books/books.repository';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { cardAmountOf } from '../../building-blocks/order/order.repository';
import type { TossClient } from '../../building-blocks/toss/toss-client';
import { settleCancelsMadeAtToss } from '../card/cancels-made-at-toss';
import type { PaymentDeps } from '../payment-deps';
import { type DayRange, instantsOf } from './report-range';

/**
 * 대사 (reconciliation): our card payments and refunds against Toss's transactions for the same days.
 * Every difference is reported by kind; nothing is fixed silently.
 *
 * - MISSING_LOCAL: Toss approved a payment we have no record of;
 * - MISSING_AT_TOSS: we recorded a card payment Toss does not list;
 * - AMOUNT_MISMATCH: both have it, with different approved amounts;
 * - STATUS_MISMATCH: the cancelled (refunded) amounts differ, e.g. cancelled at Toss only.
 *
 * The report says what it found. Where Toss cancelled more than we did, settleCancelsFoundAtToss then
 * re-reads those payments and books the cancels made at Toss (`npm run reconcile` does; the admin page's
 * report is a query and changes nothing).
 */

export type DifferenceKind = 'MISSING_LOCAL' | 'MISSING_AT_TOSS' | 'AMOUNT_MISMATCH' | 'STATUS_MISMATCH';

export interface Side {
  approved: number;
  canceled: number;
}

export interface Difference {
  kind: DifferenceKind;
  orderId: string | null;
  paymentKey: string;
  ours: Side | null;
  toss: Side | null;
}

interface TossTransaction {
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  status: string;
  amount: number;
}

async function tossTransactions(toss: TossClient, range: DayRange): Promise<TossTransaction[]> {
  const all: TossTransaction[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await toss.transactions({
      startDate: `${range.from}T00:00:00`,
      endDate: `${range.to}T23:59:59`,
      startingAfter,
      limit: 5000,
    });
    if (page.kind !== 'ok' || !Array.isArray(page.body)) {
      const why =
        page.kind === 'ok' ? 'an unreadable answer' : page.kind === 'refused' ? page.code : page.reason;
      throw new DomainError('TOSS_UNAVAILABLE', `Toss's transactions could not be read: ${why}`);
    }
    const rows = page.body as TossTransaction[];
    all.push(...rows);
    if (rows.length < 5000) return all;
    startingAfter = rows.at(-1)?.transactionKey;
  }
}

export async function reconcile(deps: { db: Db; toss: TossClient }, range: DayRange): Promise<Difference[]> {
  const { start, end } = instantsOf(range);
  const toss = new Map<string, Side & { orderId: string }>();
  for (const tx of await tossTransactions(deps.toss, range)) {
    const side = toss.get(tx.paymentKey) ?? { approved: 0, canceled: 0, orderId: tx.orderId };
    if (tx.status === 'DONE') side.approved += tx.amount;
    else if (tx.status === 'CANCELED' || tx.status === 'PARTIAL_CANCELED') side.canceled += tx.amount;
    toss.set(tx.paymentKey, side);
  }

  const ours = new Map<string, Side & { orderId: string }>();
  const payments = await cardPaymentsApproved(deps.db, start, end);
  for (const p of payments)
    ours.set(p.paymentKey as string, { approved: p.amount, canceled: 0, orderId: p.orderId });
  const autoCancelled = await undeliverableApprovals(deps.db, start, end);
  for (const o of autoCancelled) {
    // What Toss took and gave back: the card part (of a composite order, the price less its wallet part).
    const card = cardAmountOf(o);
    ours.set(o.paymentKey as string, {
      approved: card,
      canceled: o.status === 'CANCELED' ? card : 0,
      orderId: o.id,
    });
  }
  const refunds = await cardRefundsDone(deps.db, start, end);
  for (const r of refunds) {
    const key = r.order.paymentKey;
    if (!key) continue;
    const side = ours.get(key) ?? { approved: 0, canceled: 0, orderId: r.order.id };
    side.canceled += r.amount;
    ours.set(key, side);
  }

  const differences: Difference[] = [];
  for (const key of new Set([...toss.keys(), ...ours.keys()])) {
    const t = toss.get(key);
    const o = ours.get(key);
    const pick = (s: Side | undefined) => (s ? { approved: s.approved, canceled: s.canceled } : null);
    const base = { orderId: o?.orderId ?? t?.orderId ?? null, paymentKey: key, ours: pick(o), toss: pick(t) };
    if (t && t.approved > 0 && (!o || o.approved === 0)) differences.push({ kind: 'MISSING_LOCAL', ...base });
    else if (o && o.approved > 0 && (!t || t.approved === 0))
      differences.push({ kind: 'MISSING_AT_TOSS', ...base });
    else if (o && t && o.approved !== t.approved) differences.push({ kind: 'AMOUNT_MISMATCH', ...base });
    else if ((o?.canceled ?? 0) !== (t?.canceled ?? 0))
      differences.push({ kind: 'STATUS_MISMATCH', ...base });
  }
  return differences.sort((a, b) => a.kind.localeCompare(b.kind) || a.paymentKey.localeCompare(b.paymentKey));
}

/**
 * Books the cancels made at Toss behind the STATUS_MISMATCH differences where Toss cancelled more than
 * we did, by re-reading each payment (card/cancels-made-at-toss.ts: once, whoever else re-reads it).
 * Returns the orders for which something was booked.
 */
export async function settleCancelsFoundAtToss(deps: PaymentDeps, differences: Difference[]) {
  const booked: string[] = [];
  for (const d of differences) {
    if (d.kind !== 'STATUS_MISMATCH' || !d.orderId) continue;
    if ((d.toss?.canceled ?? 0) <= (d.ours?.canceled ?? 0)) continue;
    if ((await settleCancelsMadeAtToss(deps, d.orderId)) === 'booked') booked.push(d.orderId);
  }
  return booked;
}
