import { z } from 'zod';
import { listOpenAlerts } from '../../../building-blocks/alert/operator-alert.repository';
import {
  lastReconciliation,
  reconciliationDifferences,
  reconciliationRuns,
} from '../../../building-blocks/metrics';
import {
  acknowledgeAlertInput,
  adjustWalletInput,
  adminCourseOutput,
  alertOutput,
  auditEntryOutput,
  auditLogInput,
  createCourseInput,
  createServiceKeyInput,
  listAlertsInput,
  resolveAlertInput,
  retireCourseInput,
  revokeServiceKeyInput,
  roleChangeOutput,
  rotateServiceKeyInput,
  serviceKeyOutput,
  serviceKeySecretOutput,
  updateCourseInput,
} from '../../../building-blocks/schemas/admin.schemas';
import {
  paymentExplanationOutput,
  paymentSearchInput,
  paymentSearchOutput,
  recheckPaymentOutput,
} from '../../../building-blocks/schemas/admin-payment.schemas';
import {
  createEndpointInput,
  endpointIdInput,
  endpointOutput,
  endpointWithSecretOutput,
  eventLogOutput,
  listEventsInput,
  redeliverEventInput,
  redeliverFailedInput,
  redeliverOutput,
  updateEndpointInput,
} from '../../../building-blocks/schemas/events.schemas';
import { orderIdInput } from '../../../building-blocks/schemas/order.schemas';
import { settlementOutput } from '../../../building-blocks/schemas/settlement.schemas';
import { adjustWallet } from '../../../use-cases/admin/adjust-wallet';
import { listAuditLog, roleChanges } from '../../../use-cases/admin/audit-log';
import { explainPayment, findPayments } from '../../../use-cases/admin/explain-payment';
import { checkInvariants } from '../../../use-cases/admin/invariants';
import {
  createCourse,
  listCoursesForAdmin,
  retireCourse,
  updateCourseDetails,
} from '../../../use-cases/admin/manage-courses';
import { acknowledge, listAlerts, resolve } from '../../../use-cases/admin/operator-alerts';
import { recheckPayment } from '../../../use-cases/admin/recheck-payment';
import { reconcile } from '../../../use-cases/admin/reconcile';
import { dayRangeSchema } from '../../../use-cases/admin/report-range';
import { settlementReport } from '../../../use-cases/admin/settlement';
import { listEvents, redeliverEvent, redeliverFailedSince } from '../../../use-cases/events/event-log';
import {
  createEndpoint,
  disableEndpoint,
  endpointDeps,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpointEventTypes,
} from '../../../use-cases/events/manage-endpoints';
import {
  createServiceKey,
  listServiceKeys,
  revokeServiceKey,
  rotateServiceKey,
} from '../../../use-cases/service/service-keys';
import { adminProcedure, router } from '../init';

/** Who acts, as the audit log names them. */
const actor = (user: { id: string; email: string }) => ({ id: user.id, email: user.email });

const side = z.object({ approved: z.number().int(), canceled: z.number().int() }).nullable();
const differenceKind = z.enum(['MISSING_LOCAL', 'MISSING_AT_TOSS', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH']);

export const adminRouter = router({
  /** Orders by order number, Toss paymentKey or learner email (that learner's latest 50). */
  findPayments: adminProcedure
    .input(paymentSearchInput)
    .output(paymentSearchOutput)
    .query(({ ctx, input }) => findPayments(ctx.db, input.query)),

  /** One order explained: timeline, Toss exchanges (masked), webhooks, refunds, alerts, admin actions. */
  explainPayment: adminProcedure
    .input(orderIdInput)
    .output(paymentExplanationOutput)
    .query(({ ctx, input }) => explainPayment(ctx.db, input.orderId)),

  /** Asks Toss now what became of an unsettled order (the janitor's recovery); audited when Toss is asked. */
  recheckPayment: adminProcedure
    .input(orderIdInput)
    .output(recheckPaymentOutput)
    .mutation(({ ctx, input }) =>
      recheckPayment(
        {
          db: ctx.db,
          toss: ctx.toss,
          waitForConfirmMs: ctx.waitForConfirmMs,
          staleConfirmingMs: ctx.waitForConfirmMs + 10_000,
        },
        actor(ctx.user),
        input.orderId,
      ),
    ),

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

  /**
   * Course sales per day, course and method (gross, refunds, net; every day, totals); the wallets'
   * movements by kind and what they held at the start and end (선수금); the card money Toss owes us.
   */
  settlement: adminProcedure
    .input(dayRangeSchema)
    .output(settlementOutput)
    .query(({ ctx, input }) => settlementReport(ctx.db, input)),

  /** What the janitor could not settle on its own, and refunds owed by bank transfer. */
  alerts: adminProcedure
    .output(
      z.array(
        z.object({
          id: z.string(),
          orderId: z.string().nullable(),
          kind: z.string(),
          message: z.string(),
          createdAt: z.date(),
        }),
      ),
    )
    .query(({ ctx }) => listOpenAlerts(ctx.db, 200)),

  /** Alerts with filters: open, acknowledged or resolved; by kind (without its suffix); by order. */
  alertList: adminProcedure
    .input(listAlertsInput)
    .output(z.array(alertOutput))
    .query(({ ctx, input }) => listAlerts(ctx.db, input)),

  /** Someone is on it: once, with an optional note; audited. */
  acknowledgeAlert: adminProcedure
    .input(acknowledgeAlertInput)
    .output(alertOutput)
    .mutation(({ ctx, input }) => acknowledge(ctx.db, actor(ctx.user), input.alertId, input.note)),

  /** Settled: once, with a note; audited. */
  resolveAlert: adminProcedure
    .input(resolveAlertInput)
    .output(alertOutput)
    .mutation(({ ctx, input }) => resolve(ctx.db, actor(ctx.user), input.alertId, input.note)),

  /** Credits or debits a learner's wallet through the ledger, once per requestId; audited. */
  adjustWallet: adminProcedure
    .input(adjustWalletInput)
    .output(
      z.object({
        userId: z.string(),
        email: z.string(),
        amount: z.number().int(),
        balanceBefore: z.number().int(),
        balanceAfter: z.number().int(),
        entryId: z.string(),
      }),
    )
    .mutation(({ ctx, input }) => adjustWallet(ctx.db, actor(ctx.user), input)),

  /** Every course, retired ones included. */
  courses: adminProcedure.output(z.array(adminCourseOutput)).query(({ ctx }) => listCoursesForAdmin(ctx.db)),

  createCourse: adminProcedure
    .input(createCourseInput)
    .output(adminCourseOutput)
    .mutation(({ ctx, input }) => createCourse(ctx.db, actor(ctx.user), input)),

  updateCourse: adminProcedure
    .input(updateCourseInput)
    .output(adminCourseOutput)
    .mutation(({ ctx, input }) => {
      const { courseId, ...edit } = input;
      return updateCourseDetails(ctx.db, actor(ctx.user), courseId, edit);
    }),

  /** Off sale for good: old orders keep it, nobody can buy it. */
  retireCourse: adminProcedure
    .input(retireCourseInput)
    .output(adminCourseOutput)
    .mutation(({ ctx, input }) => retireCourse(ctx.db, actor(ctx.user), input.courseId, input.reason)),

  /** The audit log, newest first, with filters. */
  auditLog: adminProcedure
    .input(auditLogInput)
    .output(z.object({ items: z.array(auditEntryOutput), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listAuditLog(ctx.db, input)),

  /** Grants and revocations of the admin role (`npm run admin`), newest first (the latest 100). */
  roleChanges: adminProcedure.output(z.array(roleChangeOutput)).query(({ ctx }) => roleChanges(ctx.db)),

  /** Other services' keys (never their secrets); as `npm run service-key -- list`. */
  serviceKeys: adminProcedure.output(z.array(serviceKeyOutput)).query(({ ctx }) => listServiceKeys(ctx.db)),

  /** A new service key; its secret is in this answer only. Audited. */
  createServiceKey: adminProcedure
    .input(createServiceKeyInput)
    .output(serviceKeySecretOutput)
    .mutation(async ({ ctx, input }) => {
      const created = await createServiceKey(ctx.db, ctx.sealingKey, input, actor(ctx.user));
      return { keyId: created.keyId, secret: created.secret, key: created.key, previousValidUntil: null };
    }),

  /** Refuses the key from its next request on. Audited, with the reason. */
  revokeServiceKey: adminProcedure
    .input(revokeServiceKeyInput)
    .output(serviceKeyOutput)
    .mutation(({ ctx, input }) =>
      revokeServiceKey(ctx.db, input.keyId, { ...actor(ctx.user), reason: input.reason }),
    ),

  /** A new secret, in this answer only; the old one keeps working for `overlapHours`. Audited. */
  rotateServiceKey: adminProcedure
    .input(rotateServiceKeyInput)
    .output(serviceKeySecretOutput)
    .mutation(({ ctx, input }) =>
      rotateServiceKey(ctx.db, ctx.sealingKey, input.keyId, input.overlapHours, actor(ctx.user)),
    ),

  // Outgoing events (signed webhooks to other services): endpoints, the event log, redelivery.

  /** Every webhook endpoint, newest first (never its secret). */
  webhookEndpoints: adminProcedure
    .output(z.array(endpointOutput))
    .query(({ ctx }) => listEndpoints(ctx.db, adminActor(ctx.user))),

  /** A new endpoint; its whsec_ signing secret is in this answer only. */
  createWebhookEndpoint: adminProcedure
    .input(createEndpointInput)
    .output(endpointWithSecretOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction((tx) => createEndpoint(tx, endpointDeps(ctx), adminActor(ctx.user), input)),
    ),

  updateWebhookEndpoint: adminProcedure
    .input(updateEndpointInput)
    .output(endpointOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction((tx) =>
        updateEndpointEventTypes(tx, adminActor(ctx.user), input.endpointId, input.eventTypes),
      ),
    ),

  /** A new secret (in this answer only); the previous one signs beside it for 24 hours. */
  rotateWebhookSecret: adminProcedure
    .input(endpointIdInput)
    .output(endpointWithSecretOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction((tx) =>
        rotateEndpointSecret(tx, endpointDeps(ctx), adminActor(ctx.user), input.endpointId),
      ),
    ),

  disableWebhookEndpoint: adminProcedure
    .input(endpointIdInput)
    .output(endpointOutput)
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction((tx) => disableEndpoint(tx, adminActor(ctx.user), input.endpointId)),
    ),

  /** Events newest first, each with its deliveries and every attempt (status code, error). */
  events: adminProcedure
    .input(listEventsInput)
    .output(eventLogOutput)
    .query(({ ctx, input }) => listEvents(ctx.db, input)),

  /** One event again, to one endpoint or to all subscribed. */
  redeliverEvent: adminProcedure
    .input(redeliverEventInput)
    .output(redeliverOutput)
    .mutation(({ ctx, input }) =>
      redeliverEvent(ctx.db, actor(ctx.user), input.eventId, input.endpointId ?? null),
    ),

  /** Every delivery FAILED for an event written since a time, again. */
  redeliverFailedEvents: adminProcedure
    .input(redeliverFailedInput)
    .output(redeliverOutput)
    .mutation(({ ctx, input }) =>
      redeliverFailedSince(ctx.db, actor(ctx.user), input.since, input.endpointId ?? null),
    ),
});

function adminActor(user: Parameters<typeof actor>[0]) {
  return { kind: 'admin' as const, admin: actor(user) };
}
