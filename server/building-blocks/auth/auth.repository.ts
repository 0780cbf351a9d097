import { type Db, type DbOrTx, driverPool } from '../db/client';
import type { RoleChangeAction, UserRole } from '../db/generated/client';

export const publicUserSelect = { id: true, email: true, name: true, role: true, createdAt: true } as const;

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

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  createdAt: Date;
}

/**
 * The live session's user, or null when the session was revoked or has expired. It runs on every
 * signed-in request, so it is one query on the driver (see driverPool).
 */
export async function findSessionUser(
  db: Db,
  sessionId: string,
  userId: string,
  now: Date,
): Promise<SessionUser | null> {
  const { rows } = await driverPool(db).query<SessionUser>(
    `SELECT u.id, u.email, u.name, u.role, u.created_at AS "createdAt"
       FROM users u JOIN session s ON s.user_id = u.id
      WHERE s.id = $1 AND u.id = $2 AND s.expires_at > $3`,
    [sessionId, userId, now],
  );
  return rows[0] ?? null;
}

/**
 * Whether the session is live (the database's session_is_live, which the one-statement charge and
 * purchase run themselves), read in the caller's transaction.
 */
export async function isSessionLive(db: DbOrTx, session: { sessionId: string; userId: string }) {
  const rows = await db.$queryRaw<{ live: boolean }[]>`
    SELECT session_is_live(${session.sessionId}::uuid, ${session.userId}::uuid) AS live`;
  return rows[0]?.live === true;
}

export async function deleteSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/**
 * Sets a user's role and records the change, in one transaction; null when no account has the email.
 * The audit row is written even when the role was already so: each command run is on the record.
 */
export function changeRole(
  db: Db,
  change: { email: string; role: UserRole; action: RoleChangeAction; reason: string; changedBy: string },
) {
  return db.$transaction(async (tx) => {
    const updated = await tx.user.updateManyAndReturn({
      where: { email: change.email },
      data: { role: change.role },
      select: { id: true, email: true, role: true },
    });
    const user = updated[0];
    if (!user) return null;
    await tx.roleChange.create({
      data: {
        userId: user.id,
        action: change.action,
        role: change.role,
        reason: change.reason,
        changedBy: change.changedBy,
      },
      select: { id: true },
    });
    return user;
  });
}

export function listAdmins(db: Db) {
  return db.user.findMany({
    where: { role: 'ADMIN' },
    select: { email: true, name: true, roleChanges: { orderBy: { createdAt: 'desc' }, take: 1 } },
    orderBy: { email: 'asc' },
  });
}

/** Who has this (lower-cased) email, without anything secret: for an admin looking a learner up. */
export function findAccountByEmail(db: DbOrTx, email: string) {
  return db.user.findUnique({ where: { email }, select: publicUserSelect });
}

export function findAccountById(db: DbOrTx, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: publicUserSelect });
}

/** Grants and revocations of the admin role (made with `npm run admin`), newest first. */
export function listRoleChanges(db: DbOrTx, limit: number) {
  return db.roleChange.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: {
      id: true,
      action: true,
      role: true,
      reason: true,
      changedBy: true,
      createdAt: true,
      user: { select: { email: true } },
    },
  });
}
