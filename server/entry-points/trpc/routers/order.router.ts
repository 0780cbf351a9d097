import { z } from 'zod';
import { createOrderInput, orderIdInput, orderOutput } from '../../../building-blocks/schemas/order.schemas';
import { createOrder } from '../../../use-cases/orders/create-order';
import { getOwnOrder, listOwnOrders, toOrderView } from '../../../use-cases/orders/own-orders';
import { protectedProcedure, router } from '../init';

export const orderRouter = router({
  /** Opens a card order: a course (price from the database) or a wallet charge. */
  create: protectedProcedure
    .input(createOrderInput)
    .output(orderOutput)
    .mutation(({ ctx, input }) => createOrder(ctx.db, ctx.user.id, input)),

  get: protectedProcedure
    .input(orderIdInput)
    .output(orderOutput)
    .query(async ({ ctx, input }) => toOrderView(await getOwnOrder(ctx.db, ctx.user.id, input.orderId))),

  /** The signed-in user's orders, newest first (the latest 100). */
  list: protectedProcedure
    .output(z.array(orderOutput))
    .query(({ ctx }) => listOwnOrders(ctx.db, ctx.user.id)),
});
