import { z } from 'zod';
import { MAX_BALANCE } from '../ledger/balance-rules';
import { ORDER_ID } from '../patterns';
import { MIN_CARD_AMOUNT } from '../toss/toss-limits';
import { courseIdSchema } from './wallet.schemas';

export const createOrderInput = z.discriminatedUnion(
  'type',
  [
    z.object({
      type: z.literal('COURSE'),
      courseId: courseIdSchema,
    }),
    z.object({
      type: z.literal('CHARGE'),
      amount: z
        .number({ error: 'amount must be a number' })
        .int('amount must be a whole number of won')
        .min(MIN_CARD_AMOUNT, `amount must be at least ${MIN_CARD_AMOUNT} won for a card payment`)
        .max(MAX_BALANCE, 'amount must be at most 100,000 won'),
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
