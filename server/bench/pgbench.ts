import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The ceiling: pgbench doing at the SQL level what a wallet charge does (the conditional UPDATE and
 * its ledger row, in one transaction), on the same database and client counts as the app.
 */
const SCRIPT = (hot: boolean, wallets: number) => `
\\set n ${hot ? '1' : `random(1, ${wallets})`}
WITH moved AS (
  UPDATE wallet w SET balance = w.balance + 1, updated_at = now()
    FROM bench_wallet b
   WHERE b.n = :n AND w.id = b.id AND w.balance + 1 BETWEEN 0 AND 100000
  RETURNING w.id, w.user_id, w.balance)
INSERT INTO wallet_transaction (wallet_id, user_id, type, amount, balance_after, request_id)
SELECT id, user_id, 'CHARGE', 1, balance, 'pgbench-' || gen_random_uuid() FROM moved;
`;

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  failed: number;
}

export async function runPgbench(
  databaseUrl: string,
  options: { hot: boolean; wallets: number; clients: number; seconds: number },
): Promise<PgbenchResult> {
  const file = path.join(tmpdir(), `wallet-${options.hot ? 'hot' : 'spread'}-${process.pid}.sql`);
  await writeFile(file, SCRIPT(options.hot, options.wallets));
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
