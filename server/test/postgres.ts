import path from 'node:path';
import { canConnect, startEmbeddedPostgres } from '../building-blocks/db/postgres-server';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOCAL_SERVER = 'postgresql://postgres@127.0.0.1:5432/postgres';

/**
 * The PostgreSQL server tests create their databases on: TEST_DATABASE_URL when set, else the local
 * server on 127.0.0.1:5432 when one answers (CI and the team's machines), else an embedded one kept in
 * .data/test-postgres, so `npm test` also passes on a machine with no database installed
 * (TEST_EMBEDDED_POSTGRES=1 forces that path on a machine that has one).
 */
export async function testPostgres(log: (line: string) => void = () => {}) {
  const given = process.env.TEST_DATABASE_URL;
  if (given) return { adminUrl: given, stop: async () => {} };
  const forceEmbedded = process.env.TEST_EMBEDDED_POSTGRES === '1';
  if (!forceEmbedded && (await canConnect(LOCAL_SERVER)))
    return { adminUrl: LOCAL_SERVER, stop: async () => {} };
  log('no PostgreSQL on 127.0.0.1:5432: starting the embedded one for tests');
  return startEmbeddedPostgres(
    process.env.TEST_EMBEDDED_POSTGRES_DIR ?? path.join(ROOT, '.data', 'test-postgres'),
    log,
  );
}
