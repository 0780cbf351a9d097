import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The ceiling: pgbench doing at the SQL level what a wallet charge does (the conditional UPDATE and
 * its ledger row, in one transaction), on the same database and client counts as the app. `app-sql`
 * runs exactly the statement the app sends per charge instead (wallet_change_once, which also claims
 * and records the idempotency key): what the app would reach if HTTP, auth and Node cost nothing.
 */
const WALLET = (hot: boolean, wallets: number) => `\\set n ${hot ? '1' : `random(1, ${wallets})`}`;
const SCRIPTS = {
  ceiling: (hot: boolean, wallets: number) => `
${WALLET(hot, wallets)}
WITH moved AS (
  UPDATE wallet w SET balance = w.balance + 1, updated_at = now()
    FROM bench_wallet b
   WHERE b.n = :n AND w.id = b.id AND w.balance + 1 BETWEEN 0 AND 100000
  RETURNING w.id, w.user_id, w.balance)
INSERT INTO wallet_transaction (wallet_id, user_id, type, amount, balance_after, request_id)
SELECT id, user_id, 'CHARGE', 1, balance, 'pgbench-' || gen_random_uuid() FROM moved;
`,
  'app-sql': (hot: boolean, wallets: number) => `
${WALLET(hot, wallets)}
SELECT * FROM wallet_change_once((SELECT user_id FROM bench_wallet WHERE n = :n), gen_random_uuid()::text,
  'wallet.charge', 'pgbench', 'CHARGE', 1, 'BALANCE_LIMIT_EXCEEDED');
`,
};
export type PgbenchScript = keyof typeof SCRIPTS;

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  failed: number;
}

export async function runPgbench(
  databaseUrl: string,
  options: { script: PgbenchScript; hot: boolean; wallets: number; clients: number; seconds: number },
): Promise<PgbenchResult> {
  const file = path.join(
    tmpdir(),
    `wallet-${options.script}-${options.hot ? 'hot' : 'spread'}-${process.pid}.sql`,
  );
  await writeFile(file, SCRIPTS[options.script](options.hot, options.wallets));
  const url = new URL(databaseUrl);
  const args = [
    '-n',
    '-f',
    file,
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
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      'pgbench',
      args,
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`pgbench failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
  const tps = Number(output.match(/tps = ([\d.]+)/)?.[1] ?? 0);
  const latencyMs = Number(output.match(/latency average = ([\d.]+) ms/)?.[1] ?? 0);
  const failed = Number(output.match(/number of failed transactions: (\d+)/)?.[1] ?? 0);
  return { tps, latencyMs, failed };
}
