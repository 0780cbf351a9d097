import type { Db, DbOrTx } from '../db/client';
import type { PaymentMethod, Prisma } from '../db/generated/client';
import type { TossRecorder } from '../toss/toss-client';

/** The payment record of an approved order (one per order). */
export function insertPayment(
  db: DbOrTx,
  data: {
    orderId: string;
    method: PaymentMethod;
    amount: number;
    approvedAt: Date;
    paymentKey?: string;
    tossMethod?: string | null;
    tossPayment?: Prisma.InputJsonValue;
  },
) {
  return db.payment.create({ data, select: { id: true } });
}

/** Keeps every request to Toss and its response (or why there was none) in toss_exchange. */
export function tossExchangeRecorder(db: Db): TossRecorder {
  return {
    async start(exchange) {
      const row = await db.tossExchange.create({
        data: {
          orderId: exchange.orderId ?? null,
          operation: exchange.operation,
          httpMethod: exchange.httpMethod,
          path: exchange.path,
          idempotencyKey: exchange.idempotencyKey ?? null,
          requestBody: (exchange.requestBody as Prisma.InputJsonValue | undefined) ?? undefined,
        },
        select: { id: true },
      });
      return row.id;
    },
    async finish(id, outcome) {
      await db.tossExchange.update({
        where: { id },
        data: {
          responseStatus: outcome.status ?? null,
          responseCode: outcome.code ?? null,
          responseBody: (outcome.body as Prisma.InputJsonValue | undefined) ?? undefined,
          error: outcome.error ?? null,
          finishedAt: new Date(),
        },
        select: { id: true },
      });
    },
  };
}

/** An order's payment record, with Toss's approval as it was stored (null for an unpaid order). */
export function findPaymentOfOrder(db: DbOrTx, orderId: string) {
  return db.payment.findUnique({
    where: { orderId },
    select: { method: true, amount: true, approvedAt: true, canceledAt: true, tossPayment: true },
  });
}

/** Every exchange with Toss about an order, oldest first: what was asked, and what (if anything) came back. */
export function findTossExchangesOfOrder(db: DbOrTx, orderId: string) {
  return db.tossExchange.findMany({
    where: { orderId },
    orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
    select: {
      operation: true,
      idempotencyKey: true,
      responseStatus: true,
      responseCode: true,
      error: true,
      startedAt: true,
      finishedAt: true,
    },
  });
}

/** An order's exchanges with Toss in full (requests and responses as stored), oldest first, for operators. */
export function findTossExchangeLogOfOrder(db: DbOrTx, orderId: string) {
  return db.tossExchange.findMany({
    where: { orderId },
    orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
    select: {
      id: true,
      operation: true,
      httpMethod: true,
      path: true,
      idempotencyKey: true,
      requestBody: true,
      responseStatus: true,
      responseCode: true,
      responseBody: true,
      error: true,
      startedAt: true,
      finishedAt: true,
    },
  });
}
