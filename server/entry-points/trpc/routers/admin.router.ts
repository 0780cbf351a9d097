import { z } from 'zod';
import { listOpenAlerts } from '../../../building-blocks/alert/operator-alert.repository';
import {
  lastReconciliation,
  reconciliationDifferences,
  reconciliationRuns,
} from '../../../building-blocks/metrics';
import { checkInvariants } from '../../../use-cases/admin/invariants';
import { reconcile } from '../../../use-cases/admin/reconcile';
import { dayRangeSchema } from '../../../use-cases/admin/report-range';
import { settlementReport } from '../../../use-cases/admin/settlement';
import { adminProcedure, router } from '../init';

const side = z.object({ approved: z.number().int(), canceled: z.number().int() }).nullable();
const differenceKind = z.enum(['MISSING_LOCAL', 'MISSING_AT_TOSS', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH']);

export const adminRouter = router({
  /** Our card payments and refunds against Toss's transactions for the days given. */
  reconcile: adminProcedure
    .input(dayRangeSchema)
    .output(
      z.object({
        differences: z.array(
          z.object({
            kind: differenceKind,
            orderId: z.string().nullable(),
            paymentKey: z.string(),
            ours: side,
            toss: side,
          }),
        ),
      }),
    )
    .query(async ({ ctx, input }) => {
      const differences = await reconcile({ db: ctx.db, toss: ctx.toss }, input);
      reconciliationRuns.inc();
      lastReconciliation.setToCurrentTime();
      for (const kind of differenceKind.options) {
        reconciliationDifferences.set({ kind }, differences.filter((d) => d.kind === kind).length);
      }
      return { differences };
    }),

  /** The books' own rules: wallet = ledger, one payment and one effect per order, no requestId twice. */
  invariants: adminProcedure
    .output(
      z.object({
        violations: z.array(z.object({ rule: z.string(), subject: z.string(), detail: z.string() })),
      }),
    )
    .query(async ({ ctx }) => ({ violations: await checkInvariants(ctx.db) })),

  /** Gross, refunds and net per day, course and payment method. */
  settlement: adminProcedure
    .input(dayRangeSchema)
    .output(
      z.object({
        rows: z.array(
          z.object({
            day: z.string(),
            courseId: z.string().nullable(),
            title: z.string(),
            method: z.enum(['BALANCE', 'CARD']),
            gross: z.number().int(),
            refunds: z.number().int(),
            net: z.number().int(),
          }),
        ),
      }),
    )
    .query(async ({ ctx, input }) => ({ rows: await settlementReport(ctx.db, input) })),

  /** What the janitor could not settle on its own, and refunds owed by bank transfer. */
  alerts: adminProcedure
    .output(
      z.array(
        z.object({
          id: z.string(),
          orderId: z.string(),
          kind: z.string(),
          message: z.string(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(({ ctx }) => listOpenAlerts(ctx.db, 200)),
});
