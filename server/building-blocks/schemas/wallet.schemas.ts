import { z } from 'zod';
import { MAX_BALANCE } from '../ledger/balance-rules';
import { NO_CONTROL_CHARACTERS } from '../patterns';

/** An amount of won a caller may charge: a whole number from 1 to 100,000. */
export const amountSchema = z
  .number({ error: 'amount must be a number' })
  .int('amount must be a whole number of won')
  .min(1, 'amount must be at least 1 won')
  .max(MAX_BALANCE, `amount must be at most ${MAX_BALANCE.toLocaleString('en-US')} won`);

/** The caller's idempotency key: one per user intent, reused on retries of that intent. */
export const requestIdSchema = z
  .string({ error: 'requestId must be a string' })
  .trim()
  .min(1, 'requestId must not be empty')
  .max(128, 'requestId must be at most 128 characters')
  .regex(NO_CONTROL_CHARACTERS, 'requestId must not contain control characters')
  // A lone UTF-16 surrogate would be stored as U+FFFD, so two different ids could become one key.
  .regex(/^\P{Cs}+$/u, 'requestId must be well-formed Unicode (no lone surrogates)')
  .refine((id) => !id.startsWith('sys:'), 'requestIds starting with "sys:" are reserved for the system');

export const chargeInput = z.object({ amount: amountSchema, requestId: requestIdSchema });

/** Course ids are UUIDs, which are case-insensitive: normalise them so a retry hashes the same. */
export const courseIdSchema = z
  .string({ error: 'courseId must be a string' })
  .trim()
  .min(1, 'courseId must not be empty')
  .max(64)
  .transform((id) => (/^[0-9a-f-]{36}$/i.test(id) ? id.toLowerCase() : id));

export const payInput = z.object({ courseId: courseIdSchema, requestId: requestIdSchema });

export const transactionsInput = z
  .object({
    limit: z.number().int('limit must be a whole number').min(1).max(100).default(20),
    cursor: z.uuid({ error: 'cursor must be a transaction id from nextCursor' }).nullish(),
  })
  .default({ limit: 20 });

export const walletOutput = z.object({
  id: z.string(),
  userId: z.string(),
  balance: z.number().int(),
  /** Won held for composite orders still being paid: the balance less this is what can be spent. */
  held: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const transactionOutput = z.object({
  id: z.string(),
  walletId: z.string(),
  type: z.enum(['CHARGE', 'PAYMENT', 'REFUND', 'CHARGE_CANCEL', 'ADJUSTMENT']),
  /** Signed change to the balance: positive for a charge, negative for a payment. */
  amount: z.number().int(),
  balanceAfter: z.number().int(),
  requestId: z.string(),
  orderId: z.string().nullable(),
  courseId: z.string().nullable(),
  courseTitle: z.string().nullable(),
  createdAt: z.date(),
});

export const enrollmentOutput = z.object({
  id: z.string(),
  userId: z.string(),
  courseId: z.string(),
  orderId: z.string().nullable(),
  createdAt: z.date(),
});

export const chargeOutput = z.object({ transaction: transactionOutput, balance: z.number().int() });
export const payOutput = chargeOutput.extend({ enrollment: enrollmentOutput, orderId: z.string() });
export const transactionsOutput = z.object({
  items: z.array(transactionOutput),
  nextCursor: z.string().nullable(),
});
