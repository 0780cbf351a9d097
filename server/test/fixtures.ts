import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { type Db, driverPool } from '../building-blocks/db/client';
import { createInnerContext, type InnerContextOptions } from '../entry-points/trpc/context';
import { createCaller } from '../entry-points/trpc/router';
import { setAdmin } from '../use-cases/auth/admin-role';
import type { AuthConfig } from '../use-cases/auth/auth.service';
import { signUp } from '../use-cases/auth/auth.service';

export const TEST_AUTH: AuthConfig = {
  sessionSecret: 'test-secret-that-is-long-enough-for-hs256-signing',
  sessionTtlHours: 1,
};

/** SERVICE_KEY_ENCRYPTION_KEY of the test servers (32 bytes; base64 in TEST_SEALING_KEY_TEXT). */
export const TEST_SEALING_KEY_TEXT = 'dGVzdC1zZWFsaW5nLWtleS0zMi1ieXRlcy1sb25nISE=';
export const TEST_SEALING_KEY = Buffer.from(TEST_SEALING_KEY_TEXT, 'base64');

export function uniqueEmail(label = 'learner'): string {
  return `${label}-${randomUUID()}@example.com`;
}

/** Signs up a new learner and returns a tRPC caller acting as them, plus their token. */
export async function signedInCaller(
  db: Db,
  label = 'learner',
  {
    email,
    admin,
    ...extra
  }: Pick<InnerContextOptions, 'toss' | 'waitForConfirmMs' | 'sandboxMode' | 'sealingKey'> & {
    email?: string;
    /** Grant the admin role, as `npm run admin -- grant` does. */
    admin?: boolean;
  } = {},
) {
  const session = await signUp(db, TEST_AUTH, {
    email: email ?? uniqueEmail(label),
    password: 'password-1234',
    name: label,
  });
  if (admin) {
    const granted = await setAdmin(db, {
      email: session.user.email,
      admin: true,
      reason: 'test',
      changedBy: 'test',
    });
    if (!granted.ok) throw new Error(granted.message);
    session.user.role = granted.role;
  }
  const caller = createCaller(
    createInnerContext({
      db,
      auth: TEST_AUTH,
      user: session.user,
      sessionId: session.sessionId,
      sandboxMode: true,
      ...extra,
    }),
  );
  return { caller, user: session.user, token: session.token, sessionId: session.sessionId };
}

export function anonymousCaller(db: Db) {
  return createCaller(createInnerContext({ db, auth: TEST_AUTH, sandboxMode: true }));
}

export async function createCourse(db: Db, price: number, title = `course ${price}`) {
  return db.course.create({
    data: { title, description: 'test course', price },
    select: { id: true, price: true },
  });
}

/** How a call ended: 'OK', or the refusal's domain reason (or its tRPC code when it has none). */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof TRPCError) {
      if (error.code === 'BAD_REQUEST' && error.cause?.name === 'ZodError') return 'INVALID_INPUT';
      return (error.cause as { reason?: string } | undefined)?.reason ?? error.code;
    }
    throw error;
  }
}

/** A learner signed in, as the one-statement money paths see them: user and live session ids. */
export interface SignedInIds {
  userId: string;
  sessionId: string;
}

/**
 * `count` users straight in SQL, each with a session live for an hour: for tests of the money statements
 * that need many learners fast (a sign-up through scrypt would take seconds each).
 */
export async function usersWithSessions(db: Db, count: number, label = 'sql'): Promise<SignedInIds[]> {
  const { rows } = await driverPool(db).query<SignedInIds>(
    `WITH u AS (
       INSERT INTO users (email, name, password_hash)
       SELECT $2 || '-' || gen_random_uuid() || '@example.com', $2, 'none' FROM generate_series(1, $1)
       RETURNING id)
     INSERT INTO session (user_id, expires_at) SELECT id, now() + interval '1 hour' FROM u
     RETURNING user_id AS "userId", id AS "sessionId"`,
    [count, label],
  );
  return rows;
}
