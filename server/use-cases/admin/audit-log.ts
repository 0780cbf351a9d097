import { findAdminActions } from '../../building-blocks/audit/admin-action.repository';
import { findAccountByEmail, listRoleChanges } from '../../building-blocks/auth/auth.repository';
import type { Db } from '../../building-blocks/db/client';
import type { AdminActionKind } from '../../building-blocks/db/generated/client';
import { instantsOf } from './report-range';

/**
 * The audit log, newest first, filtered by kind, subject and Korean days. A subject is any id the log
 * names (order, user, course, alert), or a learner's email, which stands for their user id.
 */
export async function listAuditLog(
  db: Db,
  input: {
    action?: AdminActionKind;
    subject?: string;
    from?: string;
    to?: string;
    limit: number;
    cursor?: string | null;
  },
) {
  let subjectIds: string[] | undefined;
  if (input.subject) {
    subjectIds = [input.subject];
    if (input.subject.includes('@')) {
      const user = await findAccountByEmail(db, input.subject.toLowerCase());
      subjectIds = user ? [user.id] : [];
    } else if (/^[0-9a-f-]{36}$/i.test(input.subject)) {
      subjectIds = [input.subject.toLowerCase()];
    }
  }
  const from = input.from ? instantsOf({ from: input.from, to: input.from }).start : undefined;
  const to = input.to ? instantsOf({ from: input.to, to: input.to }).end : undefined;
  const rows = await findAdminActions(
    db,
    { action: input.action, subjectIds, from, to },
    input.limit,
    input.cursor ?? undefined,
  );
  const items = rows.slice(0, input.limit);
  const nextCursor = rows.length > input.limit ? (items.at(-1)?.id ?? null) : null;
  return { items, nextCursor };
}

/**
 * Who was made an admin or stopped being one. Roles are granted only from the command line (`npm run
 * admin`), which records each run in role_change, not in the console's log; shown beside it.
 */
export async function roleChanges(db: Db) {
  return (await listRoleChanges(db, 100)).map(({ user, ...change }) => ({ ...change, email: user.email }));
}
