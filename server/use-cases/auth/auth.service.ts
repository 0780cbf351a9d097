import {
  type AttemptLimits,
  clearAccountAttempts,
  countAccountAttempt,
  countAddressAttempt,
  DEFAULT_LIMITS,
} from '../../building-blocks/auth/attempt-limits';
import {
  createSession,
  createUser,
  deleteSession,
  findSessionUser,
  findUserByEmail,
} from '../../building-blocks/auth/auth.repository';
import { DECOY_HASH, hashPassword, verifyPassword } from '../../building-blocks/auth/password';
import {
  type SessionClaims,
  signSessionToken,
  verifySessionToken,
} from '../../building-blocks/auth/session-token';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';

export interface AuthConfig {
  sessionSecret: string;
  sessionTtlHours: number;
  /** Sign-in attempts per account per 15 minutes, successful ones aside (AUTH_RATE_LIMIT_PER_ACCOUNT; 10). */
  rateLimitPerAccount?: number;
  /** Sign-in and sign-up attempts per client address per 15 minutes (AUTH_RATE_LIMIT_PER_ADDRESS; 100). */
  rateLimitPerAddress?: number;
}

function attemptLimits(config: AuthConfig): AttemptLimits {
  return {
    perAccount: config.rateLimitPerAccount ?? DEFAULT_LIMITS.perAccount,
    perAddress: config.rateLimitPerAddress ?? DEFAULT_LIMITS.perAddress,
  };
}

/** Admin is a role granted with `npm run admin -- grant EMAIL`, read fresh with every session check. */
export function isAdmin(user: { role: string } | null): boolean {
  return user?.role === 'ADMIN';
}

export type AuthUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>;

async function openSession(db: Db, config: AuthConfig, user: AuthUser) {
  const expiresAt = new Date(Date.now() + config.sessionTtlHours * 3_600_000);
  const session = await createSession(db, user.id, expiresAt);
  const token = await signSessionToken(
    { userId: user.id, sessionId: session.id },
    expiresAt,
    config.sessionSecret,
  );
  return { user, token, expiresAt, sessionId: session.id };
}

/**
 * EMAIL_TAKEN tells the caller the email has an account: sign-up hands out a session at once, so it
 * cannot pretend to succeed. The per-address limit bounds how fast anyone can ask (see README).
 */
export async function signUp(
  db: Db,
  config: AuthConfig,
  input: { email: string; password: string; name: string },
  clientAddress: string | null = null,
) {
  await countAddressAttempt(db, attemptLimits(config), clientAddress);
  const passwordHash = await hashPassword(input.password);
  const user = await createUser(db, { email: input.email, name: input.name, passwordHash });
  if (!user) throw new DomainError('EMAIL_TAKEN');
  return openSession(db, config, user);
}

/**
 * Refused with TOO_MANY_ATTEMPTS, before the password is checked, once the address or the account is
 * over its limit (server/building-blocks/auth/attempt-limits.ts): a locked account stays locked even for the right
 * password until its window ends.
 */
export async function signIn(
  db: Db,
  config: AuthConfig,
  input: { email: string; password: string },
  clientAddress: string | null = null,
) {
  const limits = attemptLimits(config);
  await countAddressAttempt(db, limits, clientAddress);
  await countAccountAttempt(db, limits, input.email);
  const found = await findUserByEmail(db, input.email);
  const valid = await verifyPassword(input.password, found?.passwordHash ?? DECOY_HASH);
  if (!found || !valid) throw new DomainError('INVALID_CREDENTIALS');
  await clearAccountAttempts(db, limits, input.email);
  const { passwordHash: _, ...user } = found;
  return openSession(db, config, user);
}

export async function signOut(db: Db, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/** The user a token speaks for, or null when it is forged, tampered with, expired or signed out. */
export async function authenticate(db: Db, config: AuthConfig, token: string) {
  const claims = await readSessionToken(config, token);
  return claims ? findLiveSession(db, claims) : null;
}

/** What a session token says (user and session), when its signature verifies; null when forged or expired. */
export function readSessionToken(config: AuthConfig, token: string): Promise<SessionClaims | null> {
  return verifySessionToken(token, config.sessionSecret);
}

/** The session the claims name with its user, while it is live (not signed out, not expired). */
export async function findLiveSession(db: Db, claims: SessionClaims) {
  const user = await findSessionUser(db, claims.sessionId, claims.userId, new Date());
  return user ? { user, sessionId: claims.sessionId } : null;
}
