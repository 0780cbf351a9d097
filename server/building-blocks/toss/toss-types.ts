import { z } from 'zod';

/** The parts of Toss's Payment object we read. Toss sends many more fields; they are kept as received. */
export const tossPaymentSchema = z
  .object({
    paymentKey: z.string(),
    orderId: z.string(),
    orderName: z.string().optional(),
    status: z.enum([
      'READY',
      'IN_PROGRESS',
      'WAITING_FOR_DEPOSIT',
      'DONE',
      'CANCELED',
      'PARTIAL_CANCELED',
      'ABORTED',
      'EXPIRED',
    ]),
    method: z.string().nullable().optional(),
    totalAmount: z.number(),
    balanceAmount: z.number(),
    approvedAt: z.string().nullable().optional(),
    failure: z.object({ code: z.string(), message: z.string() }).nullable().optional(),
    /** The latest approval or cancel; an answer to our cancel names that cancel here. */
    lastTransactionKey: z.string().nullable().optional(),
    /** Every cancel, ours or not; read element by element with tossCancelSchema (refund/toss-cancels.ts). */
    cancels: z.array(z.unknown()).nullable().optional(),
  })
  .passthrough();

export type TossPayment = z.infer<typeof tossPaymentSchema>;

/**
 * One element of a Payment's `cancels[]`: each cancel, ours or made elsewhere (the merchant console),
 * with its own unique `transactionKey`. Read apart from the Payment, so a cancel we cannot read never
 * makes a confirm's answer unreadable.
 */
export const tossCancelSchema = z
  .object({
    transactionKey: z.string().min(1),
    cancelAmount: z.number().int().positive(),
    cancelReason: z.string().nullable().optional(),
    canceledAt: z.string().nullable().optional(),
    /** DONE for domestic cards; overseas easy-pay cancels pass through IN_PROGRESS (and may be ABORTED). */
    cancelStatus: z.string().nullable().optional(),
  })
  .passthrough();

export type TossCancel = z.infer<typeof tossCancelSchema>;

export const tossErrorSchema = z.object({ code: z.string(), message: z.string() });

/**
 * What one call to Toss came to:
 * - `ok`: a 2xx with the body;
 * - `refused`: Toss answered with a definite error (the request did not take effect);
 * - `unknown`: no answer, or an answer that does not tell (timeout, dropped connection, 5xx, a request
 *   still being processed): the request may or may not have taken effect.
 */
export type TossResult<T> =
  | { kind: 'ok'; status: number; body: T }
  | { kind: 'refused'; status: number; code: string; message: string }
  | { kind: 'unknown'; reason: string; status?: number; code?: string; message?: string };

/** Codes Toss documents as temporary although some come with a 4xx status. */
export const TRANSIENT_TOSS_CODES = new Set([
  'PROVIDER_ERROR',
  'FAILED_INTERNAL_SYSTEM_PROCESSING',
  'FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING',
  'COMMON_ERROR',
  'IDEMPOTENT_REQUEST_PROCESSING',
  'FORBIDDEN_CONSECUTIVE_REQUEST',
  'UNKNOWN_PAYMENT_ERROR',
  'CARD_PROCESSING_ERROR',
]);

/**
 * What a stored Payment says about the card and the receipt, read leniently: Toss fills these only for
 * card payments, older API versions name the company (`company`) where newer ones give `issuerCode`,
 * and the number comes masked (e.g. `43301234****123*`).
 */
export const tossCardDetailsSchema = z.object({
  card: z
    .object({
      company: z.string().nullish(),
      issuerCode: z.string().nullish(),
      number: z.string().nullish(),
    })
    .nullish()
    .catch(null),
  receipt: z.object({ url: z.string().nullish() }).nullish().catch(null),
});
