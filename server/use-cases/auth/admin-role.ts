import { changeRole, listAdmins } from '../../building-blocks/auth/auth.repository';
import type { Db } from '../../building-blocks/db/client';
import { emailSchema } from '../../building-blocks/schemas/auth.schemas';

/**
 * Admin power is granted, never claimed: only someone who can run `npm run admin` against the database
 * (server/entry-points/cli/admin.ts) changes a role, and every change is recorded in role_change with its reason.
 */

export type RoleCommandResult =
  | { ok: true; email: string; role: 'ADMIN' | 'LEARNER' }
  | { ok: false; message: string };

export async function setAdmin(
  db: Db,
  input: { email: string; admin: boolean; reason: string; changedBy: string },
): Promise<RoleCommandResult> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) return { ok: false, message: `"${input.email}" is not an email address.` };
  const reason = input.reason.trim();
  if (!reason) return { ok: false, message: 'Say why with --reason "...": it goes into the audit trail.' };
  const user = await changeRole(db, {
    email: email.data,
    role: input.admin ? 'ADMIN' : 'LEARNER',
    action: input.admin ? 'GRANT' : 'REVOKE',
    reason: reason.slice(0, 500),
    changedBy: input.changedBy.slice(0, 200),
  });
  if (!user) {
    return { ok: false, message: `No account has the email ${email.data}; it must sign up first.` };
  }
  return { ok: true, email: user.email, role: user.role };
}

export { listAdmins };
