import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { env } from '../env';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
/** The client handed to repositories inside `db.$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
/** Repositories accept either, so a service decides where the transaction boundary is. */
export type DbOrTx = Db | Tx;

const pools = new WeakMap<Db, pg.Pool>();

export function createDb(databaseUrl: string, poolSize = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * The driver's connection pool under `db` (the same connections Prisma uses). Only for the statements
 * on every request's path (the session check, the one-statement charge): Prisma's client spends more
 * CPU per query than the driver, measured by `npm run bench`. Everything else goes through Prisma.
 */
export function driverPool(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('this client was not made by createDb');
  return pool;
}

const globalForDb = globalThis as unknown as { paymentDb?: Db };

/** The app's single client (kept on globalThis so Next.js dev reloads do not open new pools). */
export function db(): Db {
  globalForDb.paymentDb ??= createDb(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return globalForDb.paymentDb;
}
