import { orderOutput } from '../order/order.schemas';
import { protectedProcedure, router } from '../trpc/init';
import { confirmPayment, recordShopperFailure } from './confirm.service';
import { confirmInput, confirmOutput, failInput } from './payment.schemas';

export const paymentRouter = router({
  /** Confirms a card payment the shopper authenticated in Toss's widget (the /success page). */
  confirm: protectedProcedure
    .input(confirmInput)
    .output(confirmOutput)
    .mutation(({ ctx, input }) =>
      confirmPayment(
        { db: ctx.db, toss: ctx.toss, waitForConfirmMs: ctx.waitForConfirmMs },
        ctx.user.id,
        input,
      ),
    ),

  /** Records what the fail page was told: the shopper cancelled, or the card was refused. */
  fail: protectedProcedure
    .input(failInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => recordShopperFailure(ctx.db, ctx.user.id, input)),
});
