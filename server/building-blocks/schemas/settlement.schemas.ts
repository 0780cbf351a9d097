import { z } from 'zod';

/**
 * What the settlement report (admin.settlement) answers: course sales, the wallets' movements and
 * liability (선수금), and the card money Toss owes us. See server/use-cases/admin/settlement.ts.
 */

/** The kinds of wallet movement; every ledger entry is in exactly one. */
export const walletMovementKind = z.enum([
  'CARD_TOP_UP',
  'TEST_CHARGE',
  'COURSE_PAYMENT',
  'REFUND',
  'CHARGE_CANCEL',
  'ADJUSTMENT',
  'OTHER',
]);

const won = z.number().int();
const sums = z.object({ gross: won, refunds: won, net: won });

export const settlementOutput = z.object({
  sales: z.object({
    rows: z.array(
      z.object({
        day: z.string(),
        courseId: z.string(),
        title: z.string(),
        method: z.enum(['BALANCE', 'CARD']),
        gross: won,
        refunds: won,
        net: won,
      }),
    ),
    days: z.array(z.object({ day: z.string(), card: won, balance: won, net: won })),
    totals: z.object({ card: sums, balance: sums, all: sums }),
  }),
  wallet: z.object({
    liabilityAtStart: won,
    liabilityAtEnd: won,
    movements: z.array(
      z.object({ kind: walletMovementKind, entries: won, credited: won, debited: won, net: won }),
    ),
    netMovement: won,
  }),
  card: z.object({
    courseSales: won,
    topUps: won,
    courseRefunds: won,
    chargeCancels: won,
    owed: won,
  }),
});
