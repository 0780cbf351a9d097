/**
 * What an operator may read of a body we exchanged with Toss (a request, a response, a webhook): all of
 * it but secrets and personal numbers. Toss's payment object carries `secret` (the key that proves a
 * virtual-account deposit callback), account numbers, phone numbers and the card number (which Toss
 * already masks; we mask it again in case a response ever carries more). Masked values keep their last
 * four characters, enough to match what a learner reads out on the phone.
 */

/** Keys whose values are never shown, whatever object they are in. */
const HIDDEN = new Set(['secret', 'accountNumber', 'bankAccountNumber', 'customerMobilePhone', 'number']);

export function maskTossBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskTossBody);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      HIDDEN.has(key) ? maskValue(inner) : maskTossBody(inner),
    ]),
  );
}

function maskValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  const text = String(value);
  if (text.length <= 4) return '*'.repeat(text.length);
  return `${'*'.repeat(text.length - 4)}${text.slice(-4)}`;
}
