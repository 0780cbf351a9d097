import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { percentile } from './load';

/**
 * The ceiling: pgbench doing at the SQL level what a request does, in one transaction, on the same
 * database and client counts as the app. `app-sql` runs exactly the statement the app sends per
 * request instead, which also checks the session and claims and records the idempotency key: what the
 * app would reach if HTTP, auth and Node cost nothing, one change per transaction (no group commit).
 * - charge: the conditional UPDATE and its ledger row; the app's statement is wallet_change_many (one
 *   change).
 * - pay: a purchase of a 1-won course the wallet does not own yet: the APPROVED order, its enrollment,
 *   the conditional debit, the payment record and the ledger row; the app's statement is
 *   wallet_pay_many (one purchase). Each client numbers its purchases (`k`, kept across its transactions), so every
 *   purchase of a run buys another course: course 1 + client_id + (k - 1) × clients.
 */
export type BenchRequest = 'charge' | 'pay';
export type PgbenchScript = 'ceiling' | 'app-sql';

interface ScriptOptions {
  hot: boolean;
  wallets: number;
  clients: number;
}

const WALLET = ({ hot, wallets }: ScriptOptions) => `\\set n ${hot ? '1' : `random(1, ${wallets})`}`;
const NEXT_COURSE = ({ clients }: ScriptOptions) => `\\set k :k + 1
\\set c 1 + :client_id + (:k - 1) * ${clients}`;

const SCRIPTS: Record<BenchRequest, Record<PgbenchScript, (options: ScriptOptions) => string>> = {
  charge: {
    ceiling: (options) => `
${WALLET(options)}
WITH moved AS (
  UPDATE wallet w SET balance = w.balance + 1, updated_at = now()
    FROM bench_wallet b
   WHERE b.n = :n AND w.id = b.id AND w.balance + 1 BETWEEN 0 AND 100000
  RETURNING w.id, w.user_id, w.balance)
INSERT INTO wallet_transaction (wallet_id, user_id, type, amount, balance_after, request_id)
SELECT id, user_id, 'CHARGE', 1, balance, 'pgbench-' || gen_random_uuid() FROM moved;
`,
    'app-sql': (options) => `
${WALLET(options)}
SELECT c.* FROM bench_wallet b,
  wallet_change_many(ARRAY[b.session_id], ARRAY[b.user_id], ARRAY[gen_random_uuid()::text], ARRAY['wallet.charge'],
    ARRAY['pgbench'], ARRAY['CHARGE']::wallet_transaction_type[], ARRAY[1], ARRAY['BALANCE_LIMIT_EXCEEDED']) c
 WHERE b.n = :n;
`,
  },
  pay: {
    // One statement: the rows a purchase writes. The debit never fails here (50,000 won, 1 won a
    // course, far fewer purchases per wallet in a run), so every order gets its payment and ledger row.
    ceiling: (options) => `
${WALLET(options)}
${NEXT_COURSE(options)}
WITH buyer AS (SELECT b.id AS wallet_id, b.user_id FROM bench_wallet b WHERE b.n = :n),
bought AS (
  INSERT INTO orders (id, user_id, type, course_id, amount, order_name, status, method, approved_at)
  SELECT replace(gen_random_uuid()::text, '-', ''), buyer.user_id, 'COURSE', c.id, c.price, c.title,
         'APPROVED', 'BALANCE', now()
    FROM buyer, bench_course bc JOIN course c ON c.id = bc.id
   WHERE bc.n = :c
  RETURNING id, user_id, course_id, amount),
enrolled AS (
  INSERT INTO enrollment (user_id, course_id, order_id) SELECT user_id, course_id, id FROM bought),
moved AS (
  UPDATE wallet w SET balance = w.balance - bought.amount, updated_at = now()
    FROM buyer, bought
   WHERE w.id = buyer.wallet_id AND w.balance - bought.amount BETWEEN w.held AND 100000
  RETURNING w.id, w.user_id, w.balance, bought.id AS order_id, bought.course_id, bought.amount),
paid AS (
  INSERT INTO payment (order_id, method, amount, approved_at) SELECT order_id, 'BALANCE', amount, now() FROM moved)
INSERT INTO wallet_transaction (wallet_id, user_id, type, amount, balance_after, request_id, order_id, course_id)
SELECT id, user_id, 'PAYMENT', -amount, balance, 'pgbench-' || gen_random_uuid(), order_id, course_id FROM moved;
`,
    'app-sql': (options) => `
${WALLET(options)}
${NEXT_COURSE(options)}
SELECT p.* FROM bench_wallet b,
  wallet_pay_many(ARRAY[b.session_id], ARRAY[b.user_id], ARRAY[gen_random_uuid()::text], ARRAY['wallet.pay'],
    ARRAY['pgbench'], ARRAY[(SELECT id::text FROM bench_course WHERE n = :c)],
    ARRAY[replace(gen_random_uuid()::text, '-', '')]) p
 WHERE b.n = :n;
`,
  },
};

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  /** Each transaction's latency, from pgbench's per-transaction log: the median and the 99th percentile. */
  p50: number;
  p99: number;
  failed: number;
  /** Transactions pgbench ran to the end (a purchase of a course past the seeded ones buys nothing). */
  transactions: number;
}

export async function runPgbench(
  databaseUrl: string,
  options: {
    request: BenchRequest;
    script: PgbenchScript;
    hot: boolean;
    wallets: number;
    clients: number;
    seconds: number;
  },
): Promise<PgbenchResult> {
  const file = path.join(
    tmpdir(),
    `wallet-${options.request}-${options.script}-${options.hot ? 'hot' : 'spread'}-${process.pid}.sql`,
  );
  await writeFile(file, SCRIPTS[options.request][options.script](options));
  const logDir = await mkdtemp(path.join(tmpdir(), 'pgbench-log-'));
  const url = new URL(databaseUrl);
  const args = [
    '-n',
    // One line per transaction (its latency in µs is the third field), for the percentiles.
    '-l',
    `--log-prefix=${path.join(logDir, 'tx')}`,
    '-f',
    file,
    // Each client's purchase counter (pay scripts), kept across its transactions.
    '-D',
    'k=0',
    '-c',
    String(options.clients),
    '-j',
    '2',
    '-T',
    String(options.seconds),
    '-h',
    url.hostname,
    '-p',
    url.port || '5432',
    '-U',
    decodeURIComponent(url.username || 'postgres'),
    url.pathname.slice(1),
  ];
  let output: string;
  let latencies: number[];
  try {
    output = await new Promise<string>((resolve, reject) => {
      execFile(
        'pgbench',
        args,
        { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
        (error, stdout, stderr) =>
          error ? reject(new Error(`pgbench failed: ${stderr || error.message}`)) : resolve(stdout),
      );
    });
    latencies = await readLatenciesMs(logDir);
  } finally {
    await rm(logDir, { recursive: true, force: true });
  }
  const tps = Number(output.match(/tps = ([\d.]+)/)?.[1] ?? 0);
  const latencyMs = Number(output.match(/latency average = ([\d.]+) ms/)?.[1] ?? 0);
  const failed = Number(output.match(/number of failed transactions: (\d+)/)?.[1] ?? 0);
  const transactions = Number(output.match(/number of transactions actually processed: (\d+)/)?.[1] ?? 0);
  return {
    tps,
    latencyMs,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    failed,
    transactions,
  };
}

/** Every logged transaction's latency in ms, sorted (pgbench -l: one file per thread). */
async function readLatenciesMs(logDir: string): Promise<number[]> {
  const latencies: number[] = [];
  for (const name of await readdir(logDir)) {
    for (const line of (await readFile(path.join(logDir, name), 'utf8')).split('\n')) {
      const micros = Number(line.split(' ')[2]);
      if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
    }
  }
  return latencies.sort((a, b) => a - b);
}
