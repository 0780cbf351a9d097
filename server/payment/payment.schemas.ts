import { z } from 'zod';
import { orderOutput } from '../order/order.schemas';

export const confirmInput = z.object({
  paymentKey: z
    .string({ error: 'paymentKey must be a string' })
    .min(1, 'paymentKey must not be empty')
    .max(200),
  orderId: z.string({ error: 'orderId must be a string' }).min(1, 'orderId must not be empty').max(64),
  /** What the success URL says was paid; it must equal the order's amount. Toss sends it as a string. */
  amount: z.coerce
    .number({ error: 'amount must be a number' })
    .int('amount must be a whole number of won')
    .min(1, 'amount must be at least 1 won')
    .max(100_000_000, 'amount is too large'),
});

export const confirmOutput = z.object({ order: orderOutput, balance: z.number().int() });

export const failInput = z.object({
  orderId: z.string().min(1).max(64),
  code: z.string().min(1).max(100),
  message: z.string().max(1000).default(''),
});
