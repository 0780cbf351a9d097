import type { DomainReason } from '../errors/domain-error';
import { MIN_CARD_AMOUNT } from '../toss/toss-limits';

/**
 * How a course's price may be split between the wallet and a card (composite payment): the wallet part
 * from 0 up to the price, and the card part, what is left, either 0 (a plain balance purchase,
 * wallet.pay) or at least Toss's card minimum. Pure; what is available in the wallet is the hold's to
 * check (ledger.ts placeHold), in the same statement that reserves it.
 */

/** How long a composite order's wallet part stays held while the learner is at checkout. */
export const HOLD_MINUTES = 30;

export function splitRefusal(price: number, walletAmount: number): DomainReason | null {
  if (walletAmount > price) return 'WALLET_PART_TOO_LARGE';
  const card = price - walletAmount;
  if (card === 0) return 'USE_BALANCE_PAYMENT';
  if (card < MIN_CARD_AMOUNT) return 'CARD_PART_TOO_SMALL';
  return null;
}
