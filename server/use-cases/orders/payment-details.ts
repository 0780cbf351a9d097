import type { CardView } from '../../building-blocks/schemas/order.schemas';
import { tossCardDetailsSchema } from '../../building-blocks/toss/toss-types';

/**
 * The card and the receipt of a card payment, from Toss's approval as we stored it. Toss fills them only
 * sometimes (and the sandbox only what it imitates), so every part may be missing; a receipt address
 * that is not http(s) or a path of ours is dropped rather than rendered as a link.
 */
export function paymentDetails(tossPayment: unknown): { card: CardView | null; receiptUrl: string | null } {
  const parsed = tossCardDetailsSchema.safeParse(tossPayment ?? {});
  if (!parsed.success) return { card: null, receiptUrl: null };
  const { card, receipt } = parsed.data;
  const view =
    card && (card.issuerCode || card.company || card.number)
      ? { issuerCode: card.issuerCode ?? null, company: card.company ?? null, number: card.number ?? null }
      : null;
  const url = receipt?.url ?? null;
  return { card: view, receiptUrl: url && isSafeLink(url) ? url : null };
}

function isSafeLink(url: string): boolean {
  if (/^\/(?!\/)/.test(url)) return true;
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
