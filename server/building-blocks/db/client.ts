import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { env } from '../env';
import { logger } from '../log';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
/** The client handed to repositories inside `db.$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
/** Repositories accept either, so a service decides where the transaction boundary is. */
export type DbOrTx = Db | Tx;

const globalForDb = globalThis as unknown as { paymentDb?: Db; paymentPools?: WeakMap<Db, pg.Pool> };
// On globalThis like the client itself, so a Next.js dev reload still finds the pool of a kept client.
globalForDb.paymentPools ??= new WeakMap();
const pools = globalForDb.paymentPools;

export function createDb(databaseUrl: string, poolSize = 10): Db {
  // One pool for Prisma and for driverPool(). Waiting for a connection is bounded like Prisma's own
  // transactions (maxWait 10 s); a connection the server drops while idle (restart, admin shutdown)
  // is reported and replaced, never an unhandled 'error' event that would end the process.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: 10_000 });
  pool.on('error', (error) => logger.warn({ err: error.message }, 'PostgreSQL dropped an idle connection'));
  // Every transaction waits for a connection as long as the pool does (Prisma's default is 2 s, which a
  // burst of checkouts on a busy machine exceeds: the learner would get an error for a wait).
  const client = new PrismaClient({
    adapter: new PrismaPg(pool),
    transactionOptions: { maxWait: 10_000, timeout: 20_000 },
  });
  // $disconnect ends the pool whichever of Prisma and the driver used it; a client is not used after.
  const disconnect = client.$disconnect.bind(client);
  client.$disconnect = async () => {
    await disconnect();
    if (!pool.ended) await pool.end();
  };
  pools.set(client, pool);
  return client;
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

/** The app's single client (kept on globalThis so Next.js dev reloads do not open new pools). */
export function db(): Db {
  globalForDb.paymentDb ??= createDb(env().DATABASE_URL, env().DATABASE_POOL_SIZE);
  return globalForDb.paymentDb;
}

/** A trivial query: whether the database answers at all. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
