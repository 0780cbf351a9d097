import { findAccountByEmail, findAccountById } from '../../building-blocks/auth/auth.repository';
import type { DbOrTx } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import type { UserRef } from '../../building-blocks/schemas/service.schemas';

/** The learner a service names, by our user id or their email; USER_NOT_FOUND when no account matches. */
export async function resolveUser(db: DbOrTx, ref: UserRef): Promise<string> {
  const user = ref.userId
    ? await findAccountById(db, ref.userId)
    : ref.userEmail
      ? await findAccountByEmail(db, ref.userEmail)
      : null;
  if (!user) throw new DomainError('USER_NOT_FOUND', 'No account has this user id or email.');
  return user.id;
}
