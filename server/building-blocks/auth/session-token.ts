import { jwtVerify, SignJWT } from 'jose';

/**
 * The bearer token and the session cookie hold the same value: an HS256 JWT naming the user and the
 * session row. The signature stops forgery and tampering; the session row lets sign-out revoke it.
 */

const ISSUER = 'course-payments';
const ALGORITHM = 'HS256';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SessionClaims {
  userId: string;
  sessionId: string;
}

const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The secret as a Web Crypto key, imported once per secret: given raw bytes (or a KeyObject), jose
 * imports a key on every call, which the benchmark's profile showed costing more than the check itself.
 */
function key(secret: string): Promise<CryptoKey> {
  let imported = keys.get(secret);
  if (!imported) {
    imported = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    // A failed import is not kept: the next call tries again.
    imported.catch(() => keys.delete(secret));
    keys.set(secret, imported);
  }
  return imported;
}

export async function signSessionToken(
  claims: SessionClaims,
  expiresAt: Date,
  secret: string,
): Promise<string> {
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await key(secret));
}

/**
 * Tokens whose signature verified, with their claims and expiry, per secret: a learner sends the same
 * token with every request, and checking its HMAC again each time was a visible share of a charge's CPU
 * in the benchmark's profile. Only verified tokens enter; an entry is used only until the token's own
 * expiry; the oldest entries leave first past VERIFIED_KEPT. Revocation is not the signature's concern:
 * the session row decides that on every request (findSessionUser, or inside the money statements).
 */
const verified = new Map<string, Map<string, { claims: SessionClaims; expiresAtMs: number }>>();
const VERIFIED_KEPT = 10_000;

/** The token's claims, or null when it is malformed, forged, tampered with or expired. */
export async function verifySessionToken(token: string, secret: string): Promise<SessionClaims | null> {
  let known = verified.get(secret);
  const hit = known?.get(token);
  if (hit) {
    if (hit.expiresAtMs > Date.now()) return hit.claims;
    known?.delete(token);
  }
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      issuer: ISSUER,
      algorithms: [ALGORITHM],
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    if (!UUID.test(payload.sub) || !UUID.test(payload.sid)) return null;
    const claims = Object.freeze({ userId: payload.sub, sessionId: payload.sid });
    if (typeof payload.exp === 'number') {
      if (!known) {
        known = new Map();
        verified.set(secret, known);
      }
      if (known.size >= VERIFIED_KEPT) {
        const oldest = known.keys().next().value;
        if (oldest !== undefined) known.delete(oldest);
      }
      known.set(token, { claims, expiresAtMs: payload.exp * 1000 });
    }
    return claims;
  } catch {
    return null;
  }
}
