import type { Db } from '../../building-blocks/db/client';
import { ensureWallet, findLedgerPage } from '../../building-blocks/ledger/wallet.repository';

/** What a learner reads about their wallet: the balance, and the ledger newest first. */

export function getWallet(db: Db, userId: string) {
  return ensureWallet(db, userId);
}

export async function listTransactions(db: Db, userId: string, input: { limit: number; cursor?: string }) {
  const rows = await findLedgerPage(db, userId, input.limit, input.cursor);
  const items = rows.slice(0, input.limit);
  const nextCursor = rows.length > input.limit ? (items.at(-1)?.id ?? null) : null;
  return { items, nextCursor };
}
