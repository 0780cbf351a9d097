import type { DomainReason } from '../errors/domain-error';

/**
 * The balance rule, in the one place it lives in TypeScript: a wallet holds between 0 and 100,000 won.
 * The database enforces the same range (the CHECK on wallet.balance, and held <= balance), and the
 * ledger's conditional UPDATE applies it (ledger.ts). Pages import it too, to say how much can still be charged.
 */
export const MIN_BALANCE = 0;
export const MAX_BALANCE = 100_000;

/**
 * Whether a balance may move by `delta`: the same rule as the conditional UPDATE's WHERE clause. `held`
 * is what open holds reserve (composite payments): a debit may spend only `balance - held`, so the
 * balance never falls below it; the ceiling counts held won too (they are still in the wallet).
 */
export function canApply(balance: number, delta: number, held = 0): boolean {
  const next = balance + delta;
  return next >= MIN_BALANCE + held && next <= MAX_BALANCE;
}

/** Why the conditional UPDATE matched no row: a credit hit the ceiling, a debit hit the floor. */
export function refusalFor(delta: number): DomainReason {
  return delta > 0 ? 'BALANCE_LIMIT_EXCEEDED' : 'INSUFFICIENT_BALANCE';
}
