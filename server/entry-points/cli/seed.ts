// `npm run db:seed`: migrates, then adds the demo courses and learner if they are missing.
import { prepareDatabase, resolveDatabase } from './prepare-database';

const log = (line: string) => console.log(line);
const database = await resolveDatabase(log);
try {
  await prepareDatabase(database.databaseUrl, { seed: true, log });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.stop();
}
