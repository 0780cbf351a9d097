import type { z } from 'zod';
import {
  type DaySum,
  ledgerMovements,
  refundsByDay,
  salesByDay,
} from '../../building-blocks/books/books.repository';
import { listCourseTitles } from '../../building-blocks/course/course.repository';
import type { Db } from '../../building-blocks/db/client';
import type { WalletTransactionType } from '../../building-blocks/db/generated/client';
import { walletMovementKind } from '../../building-blocks/schemas/settlement.schemas';
import { type DayRange, daysOf, instantsOf } from './report-range';

/**
 * 정산 (settlement) for a range of Korean days, in three parts that tie together:
 *
 * - **Course sales**: per day, course and method (card, balance), what was sold, what was refunded and
 *   the net. Only courses: a wallet top-up is money held for the learner (선수금, a liability), not
 *   revenue, and the course later bought with that balance is the sale, counted once (method BALANCE).
 * - **The wallets (선수금)**: every ledger entry in the range, each in exactly one kind of movement, and
 *   what all wallets held at the start and at the end of the range (the sum of the ledger before each
 *   instant, which is the sum of the balances then). Start + movements = end, by construction and
 *   from one snapshot of the ledger.
 * - **Card money Toss owes us**: card course sales and card top-ups approved in the range, less the
 *   card refunds and charge cancels done in it. Reconciliation compares these payments with Toss's.
 *
 * Days are counted by the approval (sales), the refund's completion (refunds) and the ledger entry
 * (wallet movements), in Asia/Seoul. A top-up's approval and its ledger entry are written in one
 * transaction, seconds apart at most; a card refund's wallet entry is written when it is reserved, before
 * Toss answers. A balance refund owed by bank transfer (the wallet was full) is a course refund but not a
 * wallet movement; a card charge cancelled at Toss after the learner spent the balance is a card cancel
 * but moves nothing in the wallet (an operator is told).
 */

export type Method = 'BALANCE' | 'CARD';

export interface SalesRow {
  day: string;
  courseId: string;
  title: string;
  method: Method;
  gross: number;
  refunds: number;
  net: number;
}

export interface Sums {
  gross: number;
  refunds: number;
  net: number;
}

/** Net course sales of one day by method; every day of the range has one, zero days included. */
export interface SalesDay {
  day: string;
  card: number;
  balance: number;
  net: number;
}

/** The kinds of wallet movement: every ledger entry is in exactly one. */
export const WALLET_MOVEMENT_KINDS = walletMovementKind.options;
export type WalletMovementKind = z.infer<typeof walletMovementKind>;

/**
 * Which movement each ledger entry type is (a CHARGE by where it came from, see ledgerMovements). Keyed
 * by the schema's entry types: a new type without a kind here fails the type check.
 */
const KIND_OF_ENTRY: { [T in WalletTransactionType]: (origin: string) => WalletMovementKind } = {
  // A card top-up, a test charge (sandbox mode; seeds too), or a charge cancel Toss refused given back.
  CHARGE: (origin) =>
    origin === 'card' ? 'CARD_TOP_UP' : origin === 'cancel-refused' ? 'CHARGE_CANCEL' : 'TEST_CHARGE',
  PAYMENT: () => 'COURSE_PAYMENT',
  REFUND: () => 'REFUND',
  CHARGE_CANCEL: () => 'CHARGE_CANCEL',
  ADJUSTMENT: () => 'ADJUSTMENT',
};

function kindOf(type: string, origin: string): WalletMovementKind {
  return Object.hasOwn(KIND_OF_ENTRY, type) ? KIND_OF_ENTRY[type as WalletTransactionType](origin) : 'OTHER'; // an entry type this code does not know yet: still counted, never dropped
}

export interface WalletMovement {
  kind: WalletMovementKind;
  entries: number;
  /** Won into the wallets (positive entries) and out of them (negative entries, as a positive number). */
  credited: number;
  debited: number;
  net: number;
}

export interface Settlement {
  sales: { rows: SalesRow[]; days: SalesDay[]; totals: { card: Sums; balance: Sums; all: Sums } };
  wallet: {
    /** What all wallets held at the start of the range (`from` 00:00 KST) and at its end. */
    liabilityAtStart: number;
    liabilityAtEnd: number;
    /** Every kind, in WALLET_MOVEMENT_KINDS order, zeros included. */
    movements: WalletMovement[];
    netMovement: number;
  };
  card: { courseSales: number; topUps: number; courseRefunds: number; chargeCancels: number; owed: number };
}

const zero = (): Sums => ({ gross: 0, refunds: 0, net: 0 });
const sumOf = (rows: DaySum[], pick: (r: DaySum) => boolean) =>
  rows.filter(pick).reduce((total, r) => total + Number(r.total), 0);

export async function settlementReport(db: Db, range: DayRange): Promise<Settlement> {
  const { start, end } = instantsOf(range);
  // One snapshot for all three parts, so they tie together even while payments go on.
  const { sales, refunds, ledger } = await db.$transaction(
    async (tx) => ({
      sales: await salesByDay(tx, start, end),
      refunds: await refundsByDay(tx, start, end),
      ledger: await ledgerMovements(tx, start, end),
    }),
    { isolationLevel: 'RepeatableRead' },
  );
  const titles = new Map((await listCourseTitles(db)).map((c) => [c.id, c.title] as const));
  const courseSales = sales.filter((s) => s.type === 'COURSE');
  const courseRefunds = refunds.filter((r) => r.type === 'COURSE');

  const rows = new Map<string, SalesRow>();
  const row = (day: string, courseId: string, method: Method) => {
    const key = `${day}|${courseId}|${method}`;
    let found = rows.get(key);
    if (!found) {
      const title = titles.get(courseId) ?? courseId;
      found = { day, courseId, title, method, gross: 0, refunds: 0, net: 0 };
      rows.set(key, found);
    }
    return found;
  };
  for (const s of courseSales) row(s.day, s.course_id ?? '', s.method).gross += Number(s.total);
  for (const r of courseRefunds) row(r.day, r.course_id ?? '', r.method).refunds += Number(r.total);

  const totals = { card: zero(), balance: zero(), all: zero() };
  const perDay = new Map(daysOf(range).map((day) => [day, { day, card: 0, balance: 0, net: 0 }]));
  for (const r of rows.values()) {
    r.net = r.gross - r.refunds;
    for (const sums of [r.method === 'CARD' ? totals.card : totals.balance, totals.all]) {
      sums.gross += r.gross;
      sums.refunds += r.refunds;
      sums.net += r.net;
    }
    const day = perDay.get(r.day);
    if (day) {
      if (r.method === 'CARD') day.card += r.net;
      else day.balance += r.net;
      day.net += r.net;
    }
  }

  const movements = new Map(
    WALLET_MOVEMENT_KINDS.map((kind) => [kind, { kind, entries: 0, credited: 0, debited: 0, net: 0 }]),
  );
  let liabilityAtStart = 0;
  let liabilityAtEnd = 0;
  for (const l of ledger) {
    const movement = movements.get(kindOf(l.type, l.origin)) as WalletMovement;
    movement.entries += Number(l.entries);
    movement.credited += Number(l.credited);
    movement.debited += Number(l.debited);
    movement.net = movement.credited - movement.debited;
    liabilityAtStart += Number(l.before_start);
    liabilityAtEnd += Number(l.before_end);
  }

  const card = {
    courseSales: totals.card.gross,
    topUps: sumOf(sales, (s) => s.type === 'CHARGE' && s.method === 'CARD'),
    courseRefunds: totals.card.refunds,
    chargeCancels: sumOf(refunds, (r) => r.type === 'CHARGE' && r.method === 'CARD'),
    owed: 0,
  };
  card.owed = card.courseSales + card.topUps - card.courseRefunds - card.chargeCancels;

  return {
    sales: {
      rows: [...rows.values()].sort(
        (a, b) =>
          a.day.localeCompare(b.day) || a.title.localeCompare(b.title) || a.method.localeCompare(b.method),
      ),
      days: [...perDay.values()],
      totals,
    },
    wallet: {
      liabilityAtStart,
      liabilityAtEnd,
      movements: [...movements.values()],
      netMovement: [...movements.values()].reduce((total, m) => total + m.net, 0),
    },
    card,
  };
}
