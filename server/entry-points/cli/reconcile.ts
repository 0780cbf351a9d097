// `npm run reconcile -- --from YYYY-MM-DD --to YYYY-MM-DD`: compares our card payments with Toss's
// transactions and checks the books' invariants. Exits 1 when anything differs, 2 when it cannot run.
// Cancels made at Toss but not here (STATUS_MISMATCH) are then booked, as a webhook would have.
import { parseArgs } from 'node:util';
import { createDb } from '../../building-blocks/db/client';
import { env } from '../../building-blocks/env';
import { tossConfig } from '../../building-blocks/toss/toss-config';
import { checkInvariants } from '../../use-cases/admin/invariants';
import { reconcile, settleCancelsFoundAtToss } from '../../use-cases/admin/reconcile';
import { dayRangeSchema, kstDay } from '../../use-cases/admin/report-range';
import { appTossClient } from '../app-deps';
import { prepareEnvironment, resolveDatabase } from './prepare-database';

const today = kstDay(new Date());
const { values } = parseArgs({
  options: { from: { type: 'string', default: today }, to: { type: 'string', default: today } },
});
const range = dayRangeSchema.safeParse(values);
if (!range.success) {
  console.error(`reconcile: ${range.error.issues.map((i) => i.message).join('; ')}`);
  process.exit(2);
}

await prepareEnvironment();
const database = await resolveDatabase((line) => console.error(line));
process.env.DATABASE_URL = database.databaseUrl;

const db = createDb(env().DATABASE_URL, 2);
let exitCode = 0;
try {
  const toss = appTossClient(db, tossConfig());
  const differences = await reconcile({ db, toss }, range.data);
  // Reported as found; then what was cancelled at Toss and not here is booked (once).
  const booked = await settleCancelsFoundAtToss({ db, toss, waitForConfirmMs: 0 }, differences);
  const violations = await checkInvariants(db);
  console.log(`reconciliation ${range.data.from}..${range.data.to}: ${differences.length} difference(s)`);
  for (const d of differences) {
    console.log(
      `  ${d.kind}\torder ${d.orderId ?? '-'}\tpayment ${d.paymentKey}\tours ${JSON.stringify(d.ours)}\ttoss ${JSON.stringify(d.toss)}`,
    );
  }
  if (booked.length)
    console.log(`cancels made at Toss booked for ${booked.length} order(s): ${booked.join(', ')}`);
  console.log(`invariants: ${violations.length} violation(s)`);
  for (const v of violations) console.log(`  ${v.rule}\t${v.subject}\t${v.detail}`);
  exitCode = differences.length + violations.length > 0 ? 1 : 0;
} catch (error) {
  console.error(`reconcile: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 2;
} finally {
  await db.$disconnect();
  await database.stop();
}
process.exit(exitCode);
