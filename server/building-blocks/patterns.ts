/** Text patterns the input schemas share, written once. */

/** No control characters (NUL, newlines, escapes...): they have no place in ids, names or reasons. */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

/** Our orderIds, within Toss's rule for them: 6-64 of [A-Za-z0-9_-] (see order/order-id.ts). */
export const ORDER_ID = /^[A-Za-z0-9_-]{6,64}$/;
