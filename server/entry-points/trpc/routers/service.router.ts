import { orderHistoryOutput, orderIdInput } from '../../../building-blocks/schemas/order.schemas';
import { cancelOutput } from '../../../building-blocks/schemas/payment.schemas';
import {
  serviceCourseOutput,
  serviceCreateOrderInput,
  serviceOrderListInput,
  serviceOrderOutput,
  serviceRefundInput,
  serviceRetireCourseInput,
  serviceUpsertCourseInput,
  serviceWalletInput,
  serviceWalletOutput,
} from '../../../building-blocks/schemas/service.schemas';
import { retireServiceCourse, upsertServiceCourse } from '../../../use-cases/service/service-catalogue';
import {
  createServiceOrder,
  getServiceOrder,
  listServiceOrders,
} from '../../../use-cases/service/service-orders';
import { refundServiceOrder } from '../../../use-cases/service/service-refunds';
import { serviceWallet } from '../../../use-cases/service/service-wallet';
import { router, serviceProcedure } from '../init';

/**
 * What another service may do, with a signed request (README "Service API"); each procedure declares the
 * scope it needs, checked by serviceProcedure's one middleware. A learner is named by `userId` (ours) or
 * `userEmail`. Every mutation takes a `requestId`: the same request again gets the same answer.
 */
export const serviceRouter = router({
  orders: router({
    /** Opens a COURSE or CHARGE order for a learner; send them to `checkoutUrl` to pay. */
    create: serviceProcedure
      .meta({ scope: 'orders:write' })
      .input(serviceCreateOrderInput)
      .output(serviceOrderOutput)
      .mutation(({ ctx, input }) => createServiceOrder(ctx.db, ctx.service, ctx.origin, input)),

    get: serviceProcedure
      .meta({ scope: 'orders:read' })
      .input(orderIdInput)
      .output(serviceOrderOutput)
      .query(({ ctx, input }) => getServiceOrder(ctx.db, input.orderId, ctx.origin)),

    /** A learner's orders, newest first, a page at a time. */
    list: serviceProcedure
      .meta({ scope: 'orders:read' })
      .input(serviceOrderListInput)
      .output(orderHistoryOutput)
      .query(({ ctx, input }) => listServiceOrders(ctx.db, input)),
  }),

  refunds: router({
    /** Refunds an order in full (no amount) or in part, as an admin may. */
    create: serviceProcedure
      .meta({ scope: 'refunds:write' })
      .input(serviceRefundInput)
      .output(cancelOutput)
      .mutation(({ ctx, input }) =>
        refundServiceOrder(
          {
            db: ctx.db,
            toss: ctx.toss,
            waitForConfirmMs: ctx.waitForConfirmMs,
            staleConfirmingMs: ctx.waitForConfirmMs + 10_000,
          },
          ctx.service,
          input,
        ),
      ),
  }),

  wallet: router({
    /** A learner's balance and ledger, newest first. */
    get: serviceProcedure
      .meta({ scope: 'wallet:read' })
      .input(serviceWalletInput)
      .output(serviceWalletOutput)
      .query(({ ctx, input }) => serviceWallet(ctx.db, input)),
  }),

  catalogue: router({
    /** Creates or updates the course the caller knows by `reference`. */
    upsert: serviceProcedure
      .meta({ scope: 'catalogue:write' })
      .input(serviceUpsertCourseInput)
      .output(serviceCourseOutput)
      .mutation(({ ctx, input }) => upsertServiceCourse(ctx.db, ctx.service, input)),

    /** Takes the course off sale for good (old orders keep it). */
    retire: serviceProcedure
      .meta({ scope: 'catalogue:write' })
      .input(serviceRetireCourseInput)
      .output(serviceCourseOutput)
      .mutation(({ ctx, input }) => retireServiceCourse(ctx.db, ctx.service, input)),
  }),
});
