import { z } from 'zod';
import { NO_CONTROL_CHARACTERS } from '../patterns';
import { orderIdSchema, orderOutput } from './order.schemas';
import { requestIdSchema } from './wallet.schemas';

export const confirmInput = z.object({
  paymentKey: z
    .string({ error: 'paymentKey must be a string' })
    .min(1, 'paymentKey must not be empty')
    .max(200)
    .regex(NO_CONTROL_CHARACTERS, 'paymentKey must not contain control characters'),
  orderId: orderIdSchema,
  /** What the success URL says was paid; it must equal the order's amount. Toss sends it as a string. */
  amount: z
    .union([z.number(), z.string().regex(/^\d{1,12}$/, 'amount must be a number')], {
      error: 'amount must be a number',
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .int('amount must be a whole number of won')
        .min(1, 'amount must be at least 1 won')
        .max(100_000_000, 'amount is too large'),
    ),
});

export const confirmOutput = z.object({ order: orderOutput, balance: z.number().int() });

export const failInput = z.object({
  orderId: orderIdSchema,
  code: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Z0-9_]+$/, 'code must be a Toss error code'),
  message: z
    .string()
    .max(1000)
    .regex(NO_CONTROL_CHARACTERS, 'message must not contain control characters')
    .default(''),
});

export const cancelInput = z.object({
  orderId: orderIdSchema,
  reason: z
    .string({ error: 'reason must be a string' })
    .trim()
    .min(1, 'reason must not be empty')
    .max(200, 'reason must be at most 200 characters')
    .regex(NO_CONTROL_CHARACTERS, 'reason must not contain control characters'),
  /** Omitted: everything not yet refunded. */
  amount: z
    .number()
    .int('amount must be a whole number of won')
    .min(1, 'amount must be at least 1 won')
    .optional(),
  requestId: requestIdSchema.optional(),
});

export const cancelOutput = z.object({
  refund: z.object({
    id: z.string(),
    orderId: z.string(),
    amount: z.number().int(),
    status: z.enum(['REQUESTED', 'DONE', 'FAILED', 'IN_DOUBT']),
    destination: z.string(),
    reason: z.string(),
  }),
  order: orderOutput,
});
