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

function key(secret: string) {
  return new TextEncoder().encode(secret);
}

export function signSessionToken(claims: SessionClaims, expiresAt: Date, secret: string): Promise<string> {
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key(secret));
}

/** The token's claims, or null when it is malformed, forged, tampered with or expired. */
export async function verifySessionToken(token: string, secret: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      algorithms: [ALGORITHM],
    });
    if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
    if (!UUID.test(payload.sub) || !UUID.test(payload.sid)) return null;
    return { userId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}
