// `npm run admin -- grant EMAIL --reason "..."`, `revoke EMAIL --reason "..."`, `list`: who is an admin.
// Whoever can run this can reach the database; nobody becomes an admin any other way.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createDb } from '../../building-blocks/db/client';
import { listAdmins, setAdmin } from '../../use-cases/auth/admin-role';
import { prepareEnvironment, resolveDatabase } from './prepare-database';

const USAGE = `usage:
  npm run admin -- grant EMAIL --reason "why"   make an existing account an admin
  npm run admin -- revoke EMAIL --reason "why"  make an admin a learner again
  npm run admin -- list                         the admins, with their last change
(--by NAME records who ran it; the default is the operating-system user)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { reason: { type: 'string', default: '' }, by: { type: 'string' } },
});
const [command, email] = positionals;
if (!(command === 'list' || ((command === 'grant' || command === 'revoke') && email))) {
  console.error(USAGE);
  process.exit(2);
}

await prepareEnvironment();
const database = await resolveDatabase((line) => console.error(line));
const db = createDb(database.databaseUrl, 2);
try {
  if (command === 'list') {
    const admins = await listAdmins(db);
    if (admins.length === 0) console.log('no admins yet: npm run admin -- grant EMAIL --reason "..."');
    for (const admin of admins) {
      const last = admin.roleChanges[0];
      const since = last ? `since ${last.createdAt.toISOString()} (${last.changedBy}: ${last.reason})` : '';
      console.log(`${admin.email}\t${admin.name}\t${since}`);
    }
  } else {
    const result = await setAdmin(db, {
      email: email as string,
      admin: command === 'grant',
      reason: values.reason,
      changedBy: values.by ?? userInfo().username,
    });
    if (result.ok)
      console.log(`${result.email} is now ${result.role === 'ADMIN' ? 'an admin' : 'a learner'}.`);
    else {
      console.error(`admin: ${result.message}`);
      process.exitCode = 1;
    }
  }
} catch (error) {
  console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  await database.stop();
}
