import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed service requests (the README's "Service API" quotes this exactly). A request carries
 *
 *   X-Pay-Key-Id: pk_...            the key's public id
 *   X-Pay-Timestamp: 1764583200     Unix seconds when it was signed
 *   X-Pay-Nonce: <8-128 of [A-Za-z0-9_-]>  unique per request
 *   X-Pay-Signature: v1=<base64 HMAC-SHA256 of the signing string with the key's secret>
 *
 * and the signing string is five lines joined by "\n" (no newline at the end):
 *
 *   METHOD (upper-case)
 *   PATH_WITH_QUERY (as the WHATWG URL parser normalises the request target, `pathname + search`: the
 *                    same as sent when it is percent-encoded; e.g. /api/trpc/service.orders.get?input=...)
 *   TIMESTAMP (the X-Pay-Timestamp value)
 *   NONCE (the X-Pay-Nonce value)
 *   hex SHA-256 of the raw body (of the empty string when there is none)
 *
 * Pure: no database, no clock but the one passed in. Whether a nonce was seen before is for the caller.
 */

export const SIGNATURE_HEADERS = {
  keyId: 'x-pay-key-id',
  timestamp: 'x-pay-timestamp',
  nonce: 'x-pay-nonce',
  signature: 'x-pay-signature',
} as const;

/** How far a request's timestamp may be from our clock, either way. */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

/** A key's public id: `pk_` and 24 base62 characters. */
export const KEY_ID = /^pk_[0-9A-Za-z]{24}$/;
const NONCE = /^[A-Za-z0-9_-]{8,128}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
const SIGNATURE = /^v1=([A-Za-z0-9+/]{43}=)$/;

export interface SignedRequestParts {
  method: string;
  /** The path and query as a URL parser normalises them, e.g. `/api/trpc/service.orders.create`. */
  pathWithQuery: string;
  timestamp: string;
  nonce: string;
  /** The raw body text ('' when there is none). */
  body: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function signingString(parts: SignedRequestParts): string {
  return [
    parts.method.toUpperCase(),
    parts.pathWithQuery,
    parts.timestamp,
    parts.nonce,
    sha256Hex(parts.body),
  ].join('\n');
}

/** `v1=<base64 HMAC-SHA256>` of the signing string under `secret` (the secret's UTF-8 bytes are the key). */
export function computeSignature(secret: string, parts: SignedRequestParts): string {
  return `v1=${createHmac('sha256', secret).update(signingString(parts), 'utf8').digest('base64')}`;
}

/** The four headers for a request, signed now (or at `now`) with a fresh nonce unless one is given. */
export function signRequest(
  credentials: { keyId: string; secret: string },
  request: { method: string; pathWithQuery: string; body: string },
  options: { now?: Date; nonce?: string } = {},
): Record<string, string> {
  const timestamp = String(Math.floor((options.now ?? new Date()).getTime() / 1000));
  const nonce = options.nonce ?? randomBytes(16).toString('base64url');
  const signature = computeSignature(credentials.secret, { ...request, timestamp, nonce });
  return {
    'X-Pay-Key-Id': credentials.keyId,
    'X-Pay-Timestamp': timestamp,
    'X-Pay-Nonce': nonce,
    'X-Pay-Signature': signature,
  };
}

export type SignatureHeaders = { keyId: string; timestamp: string; nonce: string; signature: string };

/**
 * The four headers when any of them was sent (null when none was: the request is not a service's);
 * `malformed` when one is missing or not in its form.
 */
export function readSignatureHeaders(
  get: (name: string) => string | null,
):
  | { signed: false }
  | { signed: true; malformed: true }
  | { signed: true; malformed: false; headers: SignatureHeaders } {
  const keyId = get(SIGNATURE_HEADERS.keyId);
  const timestamp = get(SIGNATURE_HEADERS.timestamp);
  const nonce = get(SIGNATURE_HEADERS.nonce);
  const signature = get(SIGNATURE_HEADERS.signature);
  if (keyId === null && timestamp === null && nonce === null && signature === null) return { signed: false };
  if (
    keyId === null ||
    timestamp === null ||
    nonce === null ||
    signature === null ||
    !KEY_ID.test(keyId) ||
    !TIMESTAMP.test(timestamp) ||
    !NONCE.test(nonce) ||
    !SIGNATURE.test(signature)
  ) {
    return { signed: true, malformed: true };
  }
  return { signed: true, malformed: false, headers: { keyId, timestamp, nonce, signature } };
}

/** Whether the timestamp is within the tolerance of `now`, either way. */
export function timestampFresh(timestamp: string, now: Date): boolean {
  const seconds = Number(timestamp);
  return (
    Number.isSafeInteger(seconds) && Math.abs(now.getTime() / 1000 - seconds) <= TIMESTAMP_TOLERANCE_SECONDS
  );
}

/** Whether `signature` is the request's signature under any of `secrets`, compared in constant time. */
export function signatureMatches(secrets: string[], parts: SignedRequestParts, signature: string): boolean {
  const given = Buffer.from(signature, 'utf8');
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(secret, parts), 'utf8');
    // Every secret is tried (no early exit), so the time taken does not tell which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}

/** A new key's public id and secret: `pk_` + 24 base62 characters, and `sk_` + 43 base64url ones. */
export function newKeyCredentials(): { keyId: string; secret: string } {
  return { keyId: `pk_${base62(24)}`, secret: newSecret() };
}

export function newSecret(): string {
  return `sk_${randomBytes(32).toString('base64url')}`;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 62 * 4: bytes at or above it are skipped, so every character is equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}
