import type { Db } from '../db/client';
import { DomainError } from '../errors/domain-error';
import {
  createSession,
  createUser,
  deleteSession,
  findSessionUser,
  findUserByEmail,
} from './auth.repository';
import { DECOY_HASH, hashPassword, verifyPassword } from './password';
import { signSessionToken, verifySessionToken } from './session-token';

export interface AuthConfig {
  sessionSecret: string;
  sessionTtlHours: number;
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

export async function signUp(
  db: Db,
  config: AuthConfig,
  input: { email: string; password: string; name: string },
) {
  const passwordHash = await hashPassword(input.password);
  const user = await createUser(db, { email: input.email, name: input.name, passwordHash });
  if (!user) throw new DomainError('EMAIL_TAKEN');
  return openSession(db, config, user);
}

export async function signIn(db: Db, config: AuthConfig, input: { email: string; password: string }) {
  const found = await findUserByEmail(db, input.email);
  const valid = await verifyPassword(input.password, found?.passwordHash ?? DECOY_HASH);
  if (!found || !valid) throw new DomainError('INVALID_CREDENTIALS');
  const { passwordHash: _, ...user } = found;
  return openSession(db, config, user);
}

export async function signOut(db: Db, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/** The user a token speaks for, or null when it is forged, tampered with, expired or signed out. */
export async function authenticate(db: Db, config: AuthConfig, token: string) {
  const claims = await verifySessionToken(token, config.sessionSecret);
  if (!claims) return null;
  const user = await findSessionUser(db, claims.sessionId, claims.userId, new Date());
  return user ? { user, sessionId: claims.sessionId } : null;
}
