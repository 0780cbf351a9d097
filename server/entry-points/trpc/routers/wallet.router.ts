import { DomainError } from '../../../building-blocks/errors/domain-error';
import {
  chargeInput,
  chargeOutput,
  payInput,
  payOutput,
  transactionsInput,
  transactionsOutput,
  walletOutput,
} from '../../../building-blocks/schemas/wallet.schemas';
import { chargeWallet } from '../../../use-cases/wallet/charge-wallet';
import { payWithBalance } from '../../../use-cases/wallet/pay-with-balance';
import { getWallet, listTransactions } from '../../../use-cases/wallet/wallet-history';
import { protectedProcedure, router, signedInMoneyProcedure } from '../init';

/** Flattens the ledger row for clients (the course title comes along for the history page). */
function toTransaction<T extends { course: { title: string } | null }>({ course, ...entry }: T) {
  return { ...entry, courseTitle: course?.title ?? null };
}

export const walletRouter = router({
  get: protectedProcedure.output(walletOutput).query(({ ctx }) => getWallet(ctx.db, ctx.user.id)),

  /**
   * The seed's test charge (balance with no card): sandbox mode only, or it would give money away. Like
   * pay, one round trip to the database: the statement checks the session itself.
   */
  charge: signedInMoneyProcedure
    .input(chargeInput)
    .output(chargeOutput)
    .mutation(async ({ ctx, input }) => {
      if (!ctx.sandboxMode) throw new DomainError('TEST_CHARGE_DISABLED');
      const result = await chargeWallet(ctx.db, ctx.learner, input);
      return { ...result, transaction: toTransaction(result.transaction) };
    }),

  pay: signedInMoneyProcedure
    .input(payInput)
    .output(payOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await payWithBalance(ctx.db, ctx.learner, input);
      return { ...result, transaction: toTransaction(result.transaction) };
    }),

  transactions: protectedProcedure
    .input(transactionsInput)
    .output(transactionsOutput)
    .query(async ({ ctx, input }) => {
      const page = await listTransactions(ctx.db, ctx.user.id, {
        limit: input.limit,
        cursor: input.cursor ?? undefined,
      });
      return { items: page.items.map(toTransaction), nextCursor: page.nextCursor };
    }),
});
