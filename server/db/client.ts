import { PrismaPg } from '@prisma/adapter-pg';
import { env } from '../env';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
/** The client handed to repositories inside `db.$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
/** Repositories accept either, so a service decides where the transaction boundary is. */
export type DbOrTx = Db | Tx;

export function createDb(databaseUrl: string, poolSize = 10): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { paymentDb?: Db };

/** The app's single client (kept on globalThis so Next.js dev reloads do not open new pools). */
export function db(): Db {
  globalForDb.paymentDb ??= createDb(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return globalForDb.paymentDb;
}
