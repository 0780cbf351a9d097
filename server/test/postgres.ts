import path from 'node:path';
import { canConnect, startEmbeddedPostgres } from '../db/postgres-server';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOCAL_SERVER = 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * The PostgreSQL server tests create their databases on: TEST_DATABASE_URL when set, else the local
 * server on 127.0.0.1:5432 when one answers (CI and the team's machines), else an embedded one kept in
 * .data/test-postgres, so `npm test` also passes on a machine with no database installed.
 */
export async function testPostgres(log: (line: string) => void = () => {}) {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return { adminUrl: given, stop: async () => {} };
  if (await canConnect(LOCAL_SERVER)) return { adminUrl: LOCAL_SERVER, stop: async () => {} };
  log('no PostgreSQL on 127.0.0.1:5432: starting the embedded one for tests');
  return startEmbeddedPostgres(path.join(ROOT, '.data', 'test-postgres'), log);
}
