import type { DbOrTx } from '../db/client';

export const publicUserSelect = { id: true, email: true, name: true, createdAt: true } as const;

export function findUserByEmail(db: DbOrTx, email: string) {
  return db.user.findUnique({ where: { email }, select: { ...publicUserSelect, passwordHash: true } });
}

/** Creates the user, or returns null when the email is taken (also when two sign-ups race). */
export async function createUser(db: DbOrTx, data: { email: string; name: string; passwordHash: string }) {
  const created = await db.user.createManyAndReturn({
    data: [data],
    skipDuplicates: true,
    select: publicUserSelect,
  });
  return created[0] ?? null;
}

export function createSession(db: DbOrTx, userId: string, expiresAt: Date) {
  return db.session.create({ data: { userId, expiresAt }, select: { id: true, expiresAt: true } });
}

/**
 * The live session's user, or null when the session was revoked or has expired. Asked from the user's
 * side (one query with EXISTS), since it runs on every signed-in request.
 */
export function findSessionUser(db: DbOrTx, sessionId: string, userId: string, now: Date) {
  return db.user.findFirst({
    where: { id: userId, sessions: { some: { id: sessionId, expiresAt: { gt: now } } } },
    select: publicUserSelect,
  });
}

export async function deleteSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}
