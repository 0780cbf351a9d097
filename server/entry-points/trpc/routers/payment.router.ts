import { orderOutput } from '../../../building-blocks/schemas/order.schemas';
import {
  cancelInput,
  cancelOutput,
  confirmInput,
  confirmOutput,
  failInput,
} from '../../../building-blocks/schemas/payment.schemas';
import { isAdmin } from '../../../use-cases/auth/auth.service';
import { confirmPayment, recordShopperFailure } from '../../../use-cases/card/confirm-card-payment';
import { cancelOrder } from '../../../use-cases/refund/refund-order';
import { protectedProcedure, router } from '../init';

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

  /**
   * Refunds an order, fully or (admins only) partly: the learner's own orders within 7 days of purchase,
   * any order for an admin. Card payments go back through Toss; balance payments to the wallet.
   */
  cancel: protectedProcedure
    .input(cancelInput)
    .output(cancelOutput)
    .mutation(({ ctx, input }) =>
      cancelOrder(
        {
          db: ctx.db,
          toss: ctx.toss,
          waitForConfirmMs: ctx.waitForConfirmMs,
          staleConfirmingMs: ctx.waitForConfirmMs + 10_000,
        },
        isAdmin(ctx.user)
          ? { id: ctx.user.id, email: ctx.user.email, admin: true }
          : { id: ctx.user.id, admin: false },
        input,
      ),
    ),
});
