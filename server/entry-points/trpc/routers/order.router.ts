import { z } from 'zod';
import {
  checkoutIntentInput,
  checkoutIntentOutput,
} from '../../../building-blocks/schemas/checkout-intent.schemas';
import {
  createOrderInput,
  orderDetailOutput,
  orderHistoryInput,
  orderHistoryOutput,
  orderIdInput,
  orderOutput,
} from '../../../building-blocks/schemas/order.schemas';
import { recheckOwnOrder } from '../../../use-cases/card/recheck-order';
import { createOrder } from '../../../use-cases/orders/create-order';
import { orderTimeline } from '../../../use-cases/orders/order-timeline';
import {
  getOwnOrder,
  listOrderHistory,
  listOwnOrders,
  toOrderView,
} from '../../../use-cases/orders/own-orders';
import { openCheckoutIntent } from '../../../use-cases/service/checkout-intent';
import { protectedProcedure, router } from '../init';

export const orderRouter = router({
  /** Opens a card order: a course (price from the database) or a wallet charge. */
  create: protectedProcedure
    .input(createOrderInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => createOrder(ctx.db, ctx.user.id, input)),

  /**
   * Opens a service's signed checkout link (/checkout?intent=…) for the signed-in learner it names: the
   * order it signed, made once. CREATED: pay it at /checkout/<orderId>; otherwise see /orders/<orderId>.
   */
  openCheckoutIntent: protectedProcedure
    .input(checkoutIntentInput)
    .output(checkoutIntentOutput)
    .mutation(({ ctx, input }) => openCheckoutIntent(ctx.db, ctx.sealingKey, ctx.user, input.intent)),

  get: protectedProcedure
    .input(orderIdInput)
    .output(orderOutput)
    .query(async ({ ctx, input }) => toOrderView(await getOwnOrder(ctx.db, ctx.user.id, input.orderId))),

  /** The signed-in user's orders, newest first (the latest 100). */
  list: protectedProcedure
    .output(z.array(orderOutput))
    .query(({ ctx }) => listOwnOrders(ctx.db, ctx.user.id)),

  /** 내 결제 내역: the signed-in user's orders, newest first, a page at a time, with the card used. */
  history: protectedProcedure
    .input(orderHistoryInput)
    .output(orderHistoryOutput)
    .query(({ ctx, input }) =>
      listOrderHistory(ctx.db, ctx.user.id, { limit: input.limit, cursor: input.cursor ?? undefined }),
    ),

  /** One of the user's orders with its timeline, card, receipt, refunds and the refund policy's verdict. */
  detail: protectedProcedure
    .input(orderIdInput)
    .output(orderDetailOutput)
    .query(({ ctx, input }) => orderTimeline(ctx.db, ctx.user.id, input.orderId)),

  /** "다시 확인": asks Toss now what became of the user's own unsettled order (the janitor's recovery). */
  recheck: protectedProcedure
    .input(orderIdInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) =>
      recheckOwnOrder(
        {
          db: ctx.db,
          toss: ctx.toss,
          waitForConfirmMs: ctx.waitForConfirmMs,
          staleConfirmingMs: ctx.waitForConfirmMs + 10_000,
        },
        ctx.user.id,
        input.orderId,
      ),
    ),
});
