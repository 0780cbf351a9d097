import { type Db, pingDatabase } from '../../building-blocks/db/client';

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
}

/** Asks the database for a trivial answer, bounded in time so a hung database reads as down. */
export async function checkHealth(db: Db, timeoutMs = 3000): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  try {
    await Promise.race([pingDatabase(db), timeout]);
    return { status: 'ok', database: 'up' };
  } catch {
    return { status: 'unavailable', database: 'down' };
  } finally {
    clearTimeout(timer);
  }
}
