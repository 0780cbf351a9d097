import { z } from 'zod';
import { orderHistoryOutput, orderIdInput } from '../../../building-blocks/schemas/order.schemas';
import { cancelOutput } from '../../../building-blocks/schemas/payment.schemas';
import {
  serviceCourseOutput,
  serviceCreateEndpointInput,
  serviceCreateOrderInput,
  serviceEndpointIdInput,
  serviceEndpointListOutput,
  serviceEndpointOutput,
  serviceEndpointWithSecretOutput,
  serviceOrderListInput,
  serviceOrderOutput,
  serviceRefundInput,
  serviceRetireCourseInput,
  serviceUpdateEndpointInput,
  serviceUpsertCourseInput,
  serviceWalletByUserIdInput,
  serviceWalletInput,
  serviceWalletOutput,
} from '../../../building-blocks/schemas/service.schemas';
import { endpointDeps } from '../../../use-cases/events/manage-endpoints';
import { retireServiceCourse, upsertServiceCourse } from '../../../use-cases/service/service-catalogue';
import {
  createServiceOrder,
  getServiceOrder,
  listServiceOrders,
} from '../../../use-cases/service/service-orders';
import { refundServiceOrder } from '../../../use-cases/service/service-refunds';
import { serviceWallet } from '../../../use-cases/service/service-wallet';
import {
  createServiceEndpoint,
  disableServiceEndpoint,
  listServiceEndpoints,
  rotateServiceEndpointSecret,
  updateServiceEndpoint,
} from '../../../use-cases/service/service-webhooks';
import { router, serviceProcedure } from '../init';
import { rest } from './rest-route';

/**
 * What another service may do, with a signed request (README "Service API"); each procedure declares the
 * scope it needs, checked by serviceProcedure's one middleware. A learner is named by `userId` (ours) or
 * `userEmail`. Every mutation takes a `requestId`: the same request again gets the same answer.
 */
export const serviceRouter = router({
  orders: router({
    /** Opens a COURSE or CHARGE order for a learner; send them to `checkoutUrl` to pay. */
    create: serviceProcedure
      .meta({
        scope: 'orders:write',
        openapi: rest('POST', '/orders', 'Open an order for a learner', 'orders'),
      })
      .input(serviceCreateOrderInput)
      .output(serviceOrderOutput)
      .mutation(({ ctx, input }) => createServiceOrder(ctx.db, ctx.service, ctx.origin, input)),

    get: serviceProcedure
      .meta({ scope: 'orders:read', openapi: rest('GET', '/orders/{orderId}', 'Read an order', 'orders') })
      .input(orderIdInput)
      .output(serviceOrderOutput)
      .query(({ ctx, input }) => getServiceOrder(ctx.db, input.orderId, ctx.origin)),

    /** A learner's orders, newest first, a page at a time. */
    list: serviceProcedure
      .meta({ scope: 'orders:read', openapi: rest('GET', '/orders', 'A learner’s orders', 'orders') })
      .input(serviceOrderListInput)
      .output(orderHistoryOutput)
      .query(({ ctx, input }) => listServiceOrders(ctx.db, input)),
  }),

  refunds: router({
    /** Refunds an order in full (no amount) or in part, as an admin may. */
    create: serviceProcedure
      .meta({
        scope: 'refunds:write',
        openapi: rest('POST', '/orders/{orderId}/refunds', 'Refund an order, fully or in part', 'refunds'),
      })
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
      .meta({
        scope: 'wallet:read',
        openapi: rest('GET', '/wallet', 'A learner’s balance and history', 'wallet'),
      })
      .input(serviceWalletInput)
      .output(serviceWalletOutput)
      .query(({ ctx, input }) => serviceWallet(ctx.db, input)),

    /** The same, for a learner named by our user id in the path (REST: /users/{userId}/wallet). */
    byUserId: serviceProcedure
      .meta({
        scope: 'wallet:read',
        openapi: rest('GET', '/users/{userId}/wallet', 'A learner’s balance and history', 'wallet'),
      })
      .input(serviceWalletByUserIdInput)
      .output(serviceWalletOutput)
      .query(({ ctx, input }) => serviceWallet(ctx.db, input)),
  }),

  catalogue: router({
    /** Creates or updates the course the caller knows by `reference`. */
    upsert: serviceProcedure
      .meta({
        scope: 'catalogue:write',
        openapi: rest('PUT', '/courses/{reference}', 'Create or update a course', 'catalogue'),
      })
      .input(serviceUpsertCourseInput)
      .output(serviceCourseOutput)
      .mutation(({ ctx, input }) => upsertServiceCourse(ctx.db, ctx.service, input)),

    /** Takes the course off sale for good (old orders keep it). */
    retire: serviceProcedure
      .meta({
        scope: 'catalogue:write',
        openapi: rest('POST', '/courses/{reference}/retire', 'Take a course off sale', 'catalogue'),
      })
      .input(serviceRetireCourseInput)
      .output(serviceCourseOutput)
      .mutation(({ ctx, input }) => retireServiceCourse(ctx.db, ctx.service, input)),
  }),

  /** The caller's own webhook endpoints (README "Events we send"); another key's are NOT_FOUND to it. */
  webhooks: router({
    /** A new endpoint; its whsec_ secret is in this answer (and its replays) only. */
    create: serviceProcedure
      .meta({
        scope: 'webhooks:write',
        openapi: rest('POST', '/webhook-endpoints', 'Subscribe an endpoint to events', 'webhooks'),
      })
      .input(serviceCreateEndpointInput)
      .output(serviceEndpointWithSecretOutput)
      .mutation(({ ctx, input }) => createServiceEndpoint(ctx.db, endpointDeps(ctx), ctx.service, input)),

    list: serviceProcedure
      .meta({
        scope: 'webhooks:write',
        openapi: rest('GET', '/webhook-endpoints', 'This key’s endpoints', 'webhooks'),
      })
      .input(z.object({}).optional())
      .output(serviceEndpointListOutput)
      .query(({ ctx }) => listServiceEndpoints(ctx.db, ctx.service)),

    /** Changes the events it receives. */
    update: serviceProcedure
      .meta({
        scope: 'webhooks:write',
        openapi: rest('PATCH', '/webhook-endpoints/{endpointId}', 'Change an endpoint’s events', 'webhooks'),
      })
      .input(serviceUpdateEndpointInput)
      .output(serviceEndpointOutput)
      .mutation(({ ctx, input }) => updateServiceEndpoint(ctx.db, ctx.service, input)),

    /** A new secret; the previous one also signs every delivery for 24 hours. */
    rotateSecret: serviceProcedure
      .meta({
        scope: 'webhooks:write',
        openapi: rest(
          'POST',
          '/webhook-endpoints/{endpointId}/rotate-secret',
          'Rotate an endpoint’s signing secret',
          'webhooks',
        ),
      })
      .input(serviceEndpointIdInput)
      .output(serviceEndpointWithSecretOutput)
      .mutation(({ ctx, input }) =>
        rotateServiceEndpointSecret(ctx.db, endpointDeps(ctx), ctx.service, input),
      ),

    /** Nothing more is sent to it. */
    disable: serviceProcedure
      .meta({
        scope: 'webhooks:write',
        openapi: rest(
          'POST',
          '/webhook-endpoints/{endpointId}/disable',
          'Stop sending to an endpoint',
          'webhooks',
        ),
      })
      .input(serviceEndpointIdInput)
      .output(serviceEndpointOutput)
      .mutation(({ ctx, input }) => disableServiceEndpoint(ctx.db, ctx.service, input)),
  }),
});
