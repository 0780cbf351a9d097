import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed checkout links (the README's "Signed checkout links"): a service sends a learner to
 *
 *   /checkout?intent=<payload>.<signature>
 *
 * where <payload> is the base64url (no padding) of a JSON object naming the order, and <signature> is the
 * base64url (no padding, 43 characters) of the HMAC-SHA256 of the <payload> text exactly as it appears in
 * the link, keyed with the service key's secret (its UTF-8 bytes, `sk_` included).
 *
 * Pure: no database, no clock but the one passed in.
 */

/** The longest intent we read (a payload at its largest is well under it). */
export const MAX_INTENT_LENGTH = 2048;

/** How long a link made by `signCheckoutIntent` lives unless told; at most MAX_INTENT_LIFETIME_SECONDS. */
export const DEFAULT_INTENT_LIFETIME_SECONDS = 3600;
/** A link whose `exp` is further ahead than this is refused: links are meant to be used soon. */
export const MAX_INTENT_LIFETIME_SECONDS = 24 * 3600;

const INTENT = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/;

/** What a caller puts in a link: the learner (our id or their email), the order, and optionally `exp`. */
export type CheckoutIntentFields = {
  /** The caller's own reference for this order: one order per (key, reference). */
  reference: string;
  /** Unix seconds after which the link is refused (default: an hour from now). */
  exp?: number;
} & ({ userId: string; userEmail?: never } | { userEmail: string; userId?: never }) &
  (
    | { type: 'COURSE'; courseId: string; amount?: number; orderName?: never }
    | { type: 'CHARGE'; amount: number; orderName: string; courseId?: never }
  );

/** base64url(HMAC-SHA256(secret, payloadText)), no padding. */
export function intentSignature(secret: string, payloadText: string): string {
  return createHmac('sha256', secret).update(payloadText, 'utf8').digest('base64url');
}

/** The `intent` value for a link: `<base64url JSON>.<base64url HMAC>`, with `v`, `keyId` and `exp` filled in. */
export function signCheckoutIntent(
  credentials: { keyId: string; secret: string },
  fields: CheckoutIntentFields,
  options: { now?: Date; expiresInSeconds?: number } = {},
): string {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const exp = fields.exp ?? now + (options.expiresInSeconds ?? DEFAULT_INTENT_LIFETIME_SECONDS);
  const payload = { v: 1, keyId: credentials.keyId, ...fields, exp };
  const payloadText = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${payloadText}.${intentSignature(credentials.secret, payloadText)}`;
}

/** The link a learner opens: `<url>/checkout?intent=…`. */
export function checkoutLink(
  url: string,
  credentials: { keyId: string; secret: string },
  fields: CheckoutIntentFields,
  options: { now?: Date; expiresInSeconds?: number } = {},
): string {
  const intent = signCheckoutIntent(credentials, fields, options);
  return `${url.replace(/\/$/, '')}/checkout?intent=${intent}`;
}

/** The payload text, its JSON and the signature of an intent; null when it is not in that form. */
export function readIntent(
  intent: string,
): { payloadText: string; payload: unknown; signature: string } | null {
  if (intent.length > MAX_INTENT_LENGTH) return null;
  const match = INTENT.exec(intent);
  if (!match?.[1] || !match[2]) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8'));
    return { payloadText: match[1], payload, signature: match[2] };
  } catch {
    return null;
  }
}

/** Whether `signature` signs `payloadText` under any of `secrets`, compared in constant time. */
export function intentSignatureMatches(secrets: string[], payloadText: string, signature: string): boolean {
  const given = Buffer.from(signature, 'utf8');
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(intentSignature(secret, payloadText), 'utf8');
    // Every secret is tried (no early exit), so the time taken does not tell which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}
