import { z } from 'zod';
import type { DomainReason } from '../errors/domain-error';

/** A wallet holds between 0 and 100,000 won. The database enforces the same range (CHECK). */
export const MIN_BALANCE = 0;
export const MAX_BALANCE = 100_000;

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
  .regex(/^[^\p{Cc}]+$/u, 'requestId must not contain control characters')
  // A lone UTF-16 surrogate would be stored as U+FFFD, so two different ids could become one key.
  .regex(/^\P{Cs}+$/u, 'requestId must be well-formed Unicode (no lone surrogates)')
  .refine((id) => !id.startsWith('sys:'), 'requestIds starting with "sys:" are reserved for the system');

/** Whether a balance may move by `delta`: the same rule as the conditional UPDATE's WHERE clause. */
export function canApply(balance: number, delta: number): boolean {
  const next = balance + delta;
  return next >= MIN_BALANCE && next <= MAX_BALANCE;
}

/** Why the conditional UPDATE matched no row: a credit hit the ceiling, a debit hit the floor. */
export function refusalFor(delta: number): DomainReason {
  return delta > 0 ? 'BALANCE_LIMIT_EXCEEDED' : 'INSUFFICIENT_BALANCE';
}
