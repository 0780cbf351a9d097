import type { Db } from '../../building-blocks/db/client';
import type { UserRef } from '../../building-blocks/schemas/service.schemas';
import { getWallet, listTransactions } from '../wallet/wallet-history';
import { resolveUser } from './service-users';

/** A learner's balance and their ledger, newest first, a page at a time. */
export async function serviceWallet(db: Db, input: UserRef & { limit: number; cursor?: string | null }) {
  const userId = await resolveUser(db, input);
  const wallet = await getWallet(db, userId);
  const page = await listTransactions(db, userId, { limit: input.limit, cursor: input.cursor ?? undefined });
  return {
    userId,
    balance: wallet.balance,
    items: page.items.map(({ course, ...entry }) => ({ ...entry, courseTitle: course?.title ?? null })),
    nextCursor: page.nextCursor,
  };
}
