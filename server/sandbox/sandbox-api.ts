import { z } from 'zod';
import { tossError } from './sandbox-errors';
import { findPayment, kst, paymentJson, randomKey, transactionKey } from './sandbox-payment';
import { receiptUrl } from './sandbox-receipt';
import {
  approvedPaymentOfOrder,
  approvePayment,
  insertPayment,
  insertTransaction,
  lockPayment,
  recordCancel,
  type SandboxCancel,
  type SandboxDb,
  sandboxTransaction,
  transactionByKey,
  transactionsBetween,
} from './sandbox-store';
import { queuePaymentWebhook } from './sandbox-webhooks';

/**
 * The sandbox's Toss REST operations: the real paths, shapes, status machine and error codes.
 * Each returns the Response Toss would send. Transitions are conditional UPDATEs, so two concurrent
 * confirms (or cancels) of one payment cannot both take effect.
 */

export interface SandboxOptions {
  /** How long a shopper-approved payment waits for confirm before it EXPIRES (Toss: 10 minutes). */
  confirmWindowMs: number;
  /** Where status changes are sent as PAYMENT_STATUS_CHANGED webhooks (none: no webhooks). */
  webhookUrl?: string;
}

const orderIdSchema = z.string().regex(/^[A-Za-z0-9_=-]{6,64}$/);
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

export const sandboxPaymentInput = z.object({
  orderId: orderIdSchema,
  orderName: text(100),
  amount: z.coerce.number().int().min(1),
  customerKey: z.string().regex(/^(@@ANONYMOUS|[A-Za-z0-9_=.@-]{2,50})$/),
  outcome: z.enum(['approve', 'cancel', 'reject', 'abort']).default('approve'),
});

/** POST /v1/sandbox/payments: what the shopper's decision in the widget does. */
export async function shopperDecides(
  db: SandboxDb,
  input: z.infer<typeof sandboxPaymentInput>,
  options: SandboxOptions,
) {
  const now = new Date();
  if (input.outcome === 'cancel') {
    // Closing the payment window changes nothing at Toss.
    return Response.json({
      orderId: input.orderId,
      amount: input.amount,
      code: 'PAY_PROCESS_CANCELED',
      message: '사용자에 의해 결제가 취소되었습니다.',
    });
  }
  const done = await approvedPaymentOfOrder(db, input.orderId);
  if (done)
    return tossError('DUPLICATED_ORDER_ID', '이미 승인 및 취소가 진행된 중복된 주문번호 입니다.', 400);

  const failure =
    input.outcome === 'reject'
      ? { code: 'REJECT_CARD_COMPANY', message: '결제 승인이 거절되었습니다.' }
      : input.outcome === 'abort'
        ? { code: 'PAY_PROCESS_ABORTED', message: '결제 진행 중 승인에 실패하여 결제가 중단되었습니다.' }
        : null;
  const payment = await insertPayment(db, {
    paymentKey: `tsbx${randomKey(36)}`,
    orderId: input.orderId,
    orderName: input.orderName,
    customerKey: input.customerKey,
    method: '카드',
    totalAmount: input.amount,
    balanceAmount: input.amount,
    status: failure ? 'ABORTED' : 'IN_PROGRESS',
    requestedAt: now,
    expiresAt: new Date(now.getTime() + options.confirmWindowMs),
    failureCode: failure?.code ?? null,
    failureMessage: failure?.message ?? null,
  });
  if (failure) {
    await queuePaymentWebhook(db, options.webhookUrl, payment);
    return Response.json({ orderId: input.orderId, amount: input.amount, ...failure });
  }
  return Response.json({
    paymentKey: payment.paymentKey,
    orderId: payment.orderId,
    amount: payment.totalAmount,
  });
}

const confirmInput = z.object({
  paymentKey: text(200),
  orderId: text(64),
  amount: z.coerce.number(),
});

/** POST /v1/payments/confirm */
export async function confirmPayment(db: SandboxDb, body: unknown, options: SandboxOptions) {
  const parsed = confirmInput.safeParse(body);
  if (!parsed.success)
    return tossError('INVALID_REQUEST', `잘못된 요청입니다: ${parsed.error.issues[0]?.path.join('.')}`);
  const { paymentKey, orderId, amount } = parsed.data;
  const payment = await findPayment(db, { paymentKey });
  if (!payment || payment.status === 'EXPIRED' || payment.status === 'READY') {
    return tossError('NOT_FOUND_PAYMENT_SESSION');
  }
  if (payment.orderId !== orderId || payment.totalAmount !== amount) {
    return tossError('INVALID_REQUEST', '요청한 주문번호 또는 결제 금액이 결제 정보와 일치하지 않습니다.');
  }
  if (payment.status === 'ABORTED') {
    return tossError(payment.failureCode ?? 'REJECT_CARD_COMPANY', payment.failureMessage ?? undefined, 403);
  }
  if (payment.status !== 'IN_PROGRESS') return tossError('ALREADY_PROCESSED_PAYMENT');
  if (payment.totalAmount < 100)
    return tossError('BELOW_MINIMUM_AMOUNT', '카드 결제는 100원 이상부터 가능합니다.');
  const approvedTwin = await approvedPaymentOfOrder(db, orderId);
  if (approvedTwin)
    return tossError('DUPLICATED_ORDER_ID', '이미 승인 및 취소가 진행된 중복된 주문번호 입니다.', 400);

  const key = transactionKey();
  const approved = await sandboxTransaction(db, async (tx) => {
    const row = await approvePayment(tx, paymentKey, new Date(), key);
    if (!row) return null;
    await insertTransaction(tx, {
      transactionKey: key,
      paymentKey,
      orderId,
      method: row.method,
      status: 'DONE',
      amount: row.totalAmount,
      transactionAt: row.approvedAt ?? new Date(),
    });
    return row;
  });
  if (!approved) return tossError('ALREADY_PROCESSED_PAYMENT');
  await queuePaymentWebhook(db, options.webhookUrl, approved);
  return Response.json(paymentJson(approved));
}

/** GET /v1/payments/{paymentKey} and GET /v1/payments/orders/{orderId} */
export async function readPayment(db: SandboxDb, where: { paymentKey: string } | { orderId: string }) {
  const payment = await findPayment(db, where);
  if (!payment) return tossError('NOT_FOUND_PAYMENT');
  return Response.json(paymentJson(payment));
}

const cancelInput = z.object({
  cancelReason: text(200),
  cancelAmount: z.coerce.number().int().positive().optional(),
});

/** POST /v1/payments/{paymentKey}/cancel: full (no amount) or partial. */
export async function cancelPayment(
  db: SandboxDb,
  paymentKey: string,
  body: unknown,
  options: SandboxOptions,
) {
  const parsed = cancelInput.safeParse(body);
  if (!parsed.success) return tossError('INVALID_REQUEST', '취소 사유(cancelReason)는 필수입니다.');
  const payment = await findPayment(db, { paymentKey });
  if (!payment) return tossError('NOT_FOUND_PAYMENT');

  const key = transactionKey();
  const canceledAt = new Date();
  const outcome = await sandboxTransaction(db, async (tx) => {
    // Cancels of one payment take turns, as at Toss: each sees the balance the previous one left.
    const current = await lockPayment(tx, paymentKey);
    if (!current) throw new Error(`toss sandbox: payment ${paymentKey} vanished`);
    if (current.status === 'CANCELED') return 'ALREADY_CANCELED_PAYMENT' as const;
    if (current.status !== 'DONE' && current.status !== 'PARTIAL_CANCELED')
      return 'NOT_CANCELABLE_PAYMENT' as const;
    const amount = parsed.data.cancelAmount ?? current.balanceAmount;
    if (amount <= 0 || amount > current.balanceAmount) return 'NOT_CANCELABLE_AMOUNT' as const;
    const fullAtOnce = current.status === 'DONE' && amount === current.balanceAmount;
    const cancel: SandboxCancel = {
      transactionKey: key,
      cancelReason: parsed.data.cancelReason,
      cancelAmount: amount,
      refundableAmount: current.balanceAmount - amount,
      canceledAt: kst(canceledAt) ?? '',
    };
    // Conditional on the balance just read: a concurrent cancel that got there first makes this match
    // nothing, so cancels can never add up to more than was paid.
    const row = await recordCancel(
      tx,
      paymentKey,
      { balanceAmount: current.balanceAmount, status: current.status },
      {
        balanceAmount: current.balanceAmount - amount,
        status: fullAtOnce ? 'CANCELED' : 'PARTIAL_CANCELED',
        cancels: [...(current.cancels ?? []), cancel],
        lastTransactionKey: key,
      },
    );
    if (!row) return 'NOT_CANCELABLE_AMOUNT' as const;
    await insertTransaction(tx, {
      transactionKey: key,
      paymentKey,
      orderId: row.orderId,
      method: row.method,
      status: row.status,
      amount,
      transactionAt: canceledAt,
    });
    return row;
  });
  if (typeof outcome === 'string') return tossError(outcome);
  await queuePaymentWebhook(db, options.webhookUrl, outcome);
  return Response.json(paymentJson(outcome));
}

/** GET /v1/transactions?startDate&endDate[&startingAfter][&limit] */
export async function listTransactions(db: SandboxDb, query: URLSearchParams) {
  const start = parseTossDate(query.get('startDate'));
  const end = parseTossDate(query.get('endDate'));
  const limit = Number(query.get('limit') ?? 100);
  if (!start || !end) return tossError('INVALID_REQUEST', 'startDate와 endDate는 필수입니다.');
  if (!Number.isInteger(limit) || limit < 1 || limit > 5000)
    return tossError('INVALID_REQUEST', 'limit은 1~5000입니다.');
  const after = query.get('startingAfter');
  const cursor = after ? await transactionByKey(db, after) : null;
  const rows = await transactionsBetween(db, { start, end, after: cursor, limit });
  return Response.json(
    rows.map((t) => ({
      mId: 'tosssandbox',
      transactionKey: t.transactionKey,
      paymentKey: t.paymentKey,
      orderId: t.orderId,
      method: t.method,
      customerKey: null,
      useEscrow: false,
      receiptUrl: receiptUrl(t.paymentKey),
      status: t.status,
      transactionAt: kst(t.transactionAt),
      currency: 'KRW',
      amount: t.amount,
    })),
  );
}

/** Toss takes `2022-01-01` (midnight, Korean time) or `2022-01-01T00:00:00`. */
function parseTossDate(value: string | null): Date | null {
  if (!value) return null;
  const withTime = /T/.test(value) ? value : `${value}T00:00:00`;
  const withZone = /([+-]\d\d:\d\d|Z)$/.test(withTime) ? withTime : `${withTime}+09:00`;
  const date = new Date(withZone);
  return Number.isNaN(date.getTime()) ? null : date;
}
