import { z } from 'zod';
import { MAX_BALANCE } from '../ledger/balance-rules';
import { ORDER_ID } from '../patterns';
import { MIN_CARD_AMOUNT } from '../toss/toss-limits';
import { courseIdSchema, requestIdSchema } from './wallet.schemas';

export const createOrderInput = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('COURSE'),
        courseId: courseIdSchema,
        /**
         * Won of the price to pay from the wallet (composite payment); the card pays the rest, which must
         * be at least 100 won. Held on the wallet from now until the card's outcome is known.
         */
        walletAmount: z
          .number({ error: 'walletAmount must be a number' })
          .int('walletAmount must be a whole number of won')
          .min(0, 'walletAmount must not be negative')
          .max(MAX_BALANCE, 'walletAmount must be at most 100,000 won')
          .optional(),
        /**
         * The learner's idempotency key: the same request sent again gets the same order back. Required
         * when part of the wallet is held (walletAmount above 0): a retry must never hold it twice.
         */
        requestId: requestIdSchema.optional(),
      })
      .refine((order) => !order.walletAmount || order.requestId !== undefined, {
        path: ['requestId'],
        error: 'requestId is required when walletAmount is above 0',
      }),
    z.object({
      type: z.literal('CHARGE'),
      amount: z
        .number({ error: 'amount must be a number' })
        .int('amount must be a whole number of won')
        .min(MIN_CARD_AMOUNT, `amount must be at least ${MIN_CARD_AMOUNT} won for a card payment`)
        .max(MAX_BALANCE, 'amount must be at most 100,000 won'),
      requestId: requestIdSchema.optional(),
    }),
  ],
  { error: "type must be 'COURSE' or 'CHARGE'" },
);

export const orderIdSchema = z
  .string({ error: 'orderId must be a string' })
  .regex(ORDER_ID, 'orderId must be 6-64 letters, digits, - or _');

export const orderIdInput = z.object({ orderId: orderIdSchema });

export const orderOutput = z.object({
  orderId: z.string(),
  type: z.enum(['COURSE', 'CHARGE']),
  courseId: z.string().nullable(),
  amount: z.number().int(),
  /** The part paid from the wallet (composite payment; 0 otherwise) and the part the card pays. */
  walletAmount: z.number().int(),
  cardAmount: z.number().int(),
  orderName: z.string(),
  status: z.enum([
    'CREATED',
    'CONFIRMING',
    'IN_DOUBT',
    'APPROVED',
    'CANCEL_PENDING',
    'FAILED',
    'CANCELED',
    'PARTIALLY_CANCELED',
  ]),
  method: z.enum(['BALANCE', 'CARD']).nullable(),
  paymentKey: z.string().nullable(),
  approvedAt: z.date().nullable(),
  failureCode: z.string().nullable(),
  failureMessage: z.string().nullable(),
  /** Won refunded so far (or being refunded). */
  refundedAmount: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type OrderView = z.infer<typeof orderOutput>;

/** The card a payment was made with, as Toss reported it (any part may be missing). */
export const cardOutput = z.object({
  /** Toss's card company code (issuerCode), e.g. "71"; the pages name it. */
  issuerCode: z.string().nullable(),
  /** The company's name, when Toss gives one (older API versions). */
  company: z.string().nullable(),
  /** The masked card number, e.g. "43301234****123*". */
  number: z.string().nullable(),
});

export const orderHistoryInput = z
  .object({
    limit: z.number().int('limit must be a whole number').min(1).max(50).default(20),
    cursor: orderIdSchema.nullish(),
  })
  .default({ limit: 20 });

export const orderHistoryItem = orderOutput.extend({ card: cardOutput.nullable() });

export const orderHistoryOutput = z.object({
  items: z.array(orderHistoryItem),
  nextCursor: z.string().nullable(),
});

export const refundOutput = z.object({
  id: z.string(),
  amount: z.number().int(),
  status: z.enum(['REQUESTED', 'DONE', 'FAILED', 'IN_DOUBT']),
  /** CARD (back to the card through Toss), WALLET, or BANK_TRANSFER (paid by an operator). */
  destination: z.string(),
  reason: z.string(),
  /** Who asked: the learner, an operator, or Toss's console (a cancel made there). */
  requestedBy: z.enum(['LEARNER', 'OPERATOR', 'TOSS']),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** One thing that happened to an order, oldest first. */
export const timelineEvent = z.object({
  kind: z.enum([
    'CREATED',
    /** A confirm sent to Toss (each attempt); `outcome` says what came back. */
    'CONFIRM_SENT',
    /** Toss asked what became of the payment (after no answer, by the janitor or "다시 확인"). */
    'CHECKED_WITH_TOSS',
    /** No answer from Toss: the payment's outcome is unknown until it is checked. */
    'IN_DOUBT',
    'APPROVED',
    'FAILED',
    /** Toss approved what could not be delivered, and the payment was cancelled at Toss. */
    'AUTO_CANCEL_SENT',
    'REFUND',
  ]),
  at: z.date(),
  /** CONFIRM_SENT and CHECKED_WITH_TOSS: the attempt's number (confirms) and what came back. */
  attempt: z.number().int().nullable(),
  outcome: z.enum(['OK', 'REFUSED', 'NO_ANSWER', 'WAITING']).nullable(),
  /** Toss's or our failure code, where there is one. */
  code: z.string().nullable(),
  /** REFUND: the refund. */
  refund: refundOutput.nullable(),
});

export const refundPolicyOutput = z.object({
  /** Whether the learner may refund this order now, in full, themselves. */
  allowed: z.boolean(),
  /** The end of the 7-day window, once the order is paid. */
  until: z.date().nullable(),
  /** Why not, when not allowed. */
  refusal: z.enum(['NOT_PAID', 'ALREADY_REFUNDED', 'WINDOW_CLOSED']).nullable(),
});

export const orderDetailOutput = z.object({
  order: orderOutput,
  card: cardOutput.nullable(),
  /** Toss's receipt page for a card payment. */
  receiptUrl: z.string().nullable(),
  events: z.array(timelineEvent),
  refunds: z.array(refundOutput),
  refundPolicy: refundPolicyOutput,
});

export type TimelineEvent = z.infer<typeof timelineEvent>;
export type CardView = z.infer<typeof cardOutput>;
