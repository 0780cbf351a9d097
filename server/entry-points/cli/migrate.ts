// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
import { prepareDatabase, resolveDatabase } from './prepare-database';

const log = (line: string) => console.log(line);
const database = await resolveDatabase(log);
try {
  await prepareDatabase(database.databaseUrl, { seed: false, log });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.stop();
}
