/** Toss takes a card payment of at least 100 won; a charge or a card part below it is refused first. */
export const MIN_CARD_AMOUNT = 100;
