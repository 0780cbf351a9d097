import type pg from 'pg';

/**
 * The sandbox's state and every statement that touches it. It lives in a PostgreSQL schema of its own,
 * `toss_sandbox`, not in the product's Prisma schema: the sandbox creates it when sandbox mode starts,
 * so a real deployment has none of it. Statements go through the pg driver.
 */

/** The sandbox's connections: a pg pool (in the app, the same pool Prisma uses). */
export type SandboxDb = pg.Pool;
/** A pool, or one connection inside `sandboxTransaction`. */
type Sql = Pick<pg.Pool | pg.PoolClient, 'query'>;

export const SANDBOX_SCHEMA = 'toss_sandbox';

/** Taken by every creator of the schema, so app instances and test servers starting at once do not race. */
const SCHEMA_LOCK = 'toss_sandbox: create schema';

const CREATE_SCHEMA = `
CREATE SCHEMA IF NOT EXISTS toss_sandbox;

-- Payments as Toss keeps them. status: READY, IN_PROGRESS, DONE, CANCELED, PARTIAL_CANCELED, ABORTED,
-- EXPIRED. expires_at: the confirm deadline, 10 minutes after the shopper authenticated.
CREATE TABLE IF NOT EXISTS toss_sandbox.payments (
    payment_key          TEXT PRIMARY KEY,
    order_id             TEXT NOT NULL,
    order_name           TEXT NOT NULL,
    customer_key         TEXT NOT NULL,
    method               TEXT NOT NULL,
    total_amount         INTEGER NOT NULL,
    balance_amount       INTEGER NOT NULL,
    status               TEXT NOT NULL,
    requested_at         TIMESTAMPTZ(3) NOT NULL,
    approved_at          TIMESTAMPTZ(3),
    expires_at           TIMESTAMPTZ(3) NOT NULL,
    failure_code         TEXT,
    failure_message      TEXT,
    cancels              JSONB NOT NULL DEFAULT '[]',
    last_transaction_key TEXT
);
CREATE INDEX IF NOT EXISTS payments_order_id_idx ON toss_sandbox.payments (order_id);

-- What GET /v1/transactions lists: each approval and each cancel.
CREATE TABLE IF NOT EXISTS toss_sandbox.transactions (
    transaction_key TEXT PRIMARY KEY,
    payment_key     TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    method          TEXT NOT NULL,
    status          TEXT NOT NULL,
    amount          INTEGER NOT NULL,
    transaction_at  TIMESTAMPTZ(3) NOT NULL
);
CREATE INDEX IF NOT EXISTS transactions_transaction_at_idx ON toss_sandbox.transactions (transaction_at);

-- Idempotency-Key claims; response_status is null while the first request is still being processed.
CREATE TABLE IF NOT EXISTS toss_sandbox.idempotency_keys (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    key             TEXT NOT NULL,
    secret_key_hash TEXT NOT NULL,
    http_method     TEXT NOT NULL,
    path            TEXT NOT NULL,
    response_status INTEGER,
    response_body   JSONB,
    created_at      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT idempotency_keys_request_key UNIQUE (key, secret_key_hash, http_method, path)
);

-- Injected faults. action: delay | error | reset | drop-response; remaining null: until cleared.
CREATE TABLE IF NOT EXISTS toss_sandbox.faults (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    match_path     TEXT,
    match_order_id TEXT,
    action         TEXT NOT NULL,
    ms             INTEGER,
    status         INTEGER,
    code           TEXT,
    remaining      INTEGER,
    created_at     TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- Webhooks the sandbox owes the shop, retried on Toss's schedule until one is answered 200.
CREATE TABLE IF NOT EXISTS toss_sandbox.webhooks (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    transmission_id TEXT NOT NULL UNIQUE,
    url             TEXT NOT NULL,
    body            JSONB NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    delivered_at    TIMESTAMPTZ(3),
    created_at      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS webhooks_delivered_at_next_attempt_at_idx
    ON toss_sandbox.webhooks (delivered_at, next_attempt_at);
`;

/** Creates the sandbox's schema and tables if they are missing; safe to run from many processes at once. */
export async function createSandboxSchema(db: SandboxDb): Promise<void> {
  await sandboxTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK]);
    await tx.query(CREATE_SCHEMA);
  });
}

/** Runs `work` on one connection inside a transaction: committed if it returns, rolled back if it throws. */
export async function sandboxTransaction<T>(
  db: SandboxDb,
  work: (tx: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

// ---- payments and transactions ----

export interface SandboxCancel {
  transactionKey: string;
  cancelReason: string;
  cancelAmount: number;
  refundableAmount: number;
  canceledAt: string;
}

export interface SandboxPayment {
  paymentKey: string;
  orderId: string;
  orderName: string;
  customerKey: string;
  method: string;
  totalAmount: number;
  balanceAmount: number;
  status: string;
  requestedAt: Date;
  approvedAt: Date | null;
  expiresAt: Date;
  failureCode: string | null;
  failureMessage: string | null;
  cancels: SandboxCancel[];
  lastTransactionKey: string | null;
}

const PAYMENT_COLUMNS = `payment_key AS "paymentKey", order_id AS "orderId", order_name AS "orderName",
  customer_key AS "customerKey", method, total_amount AS "totalAmount", balance_amount AS "balanceAmount",
  status, requested_at AS "requestedAt", approved_at AS "approvedAt", expires_at AS "expiresAt",
  failure_code AS "failureCode", failure_message AS "failureMessage", cancels,
  last_transaction_key AS "lastTransactionKey"`;

/** Toss allows one approved payment per order: DONE, or cancelled after it. */
const APPROVED = `('DONE', 'CANCELED', 'PARTIAL_CANCELED')`;

export async function insertPayment(
  db: Sql,
  p: Omit<SandboxPayment, 'approvedAt' | 'cancels' | 'lastTransactionKey'>,
): Promise<SandboxPayment> {
  const { rows } = await db.query<SandboxPayment>(
    `INSERT INTO toss_sandbox.payments (payment_key, order_id, order_name, customer_key, method, total_amount,
       balance_amount, status, requested_at, expires_at, failure_code, failure_message)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     RETURNING ${PAYMENT_COLUMNS}`,
    [
      p.paymentKey,
      p.orderId,
      p.orderName,
      p.customerKey,
      p.method,
      p.totalAmount,
      p.balanceAmount,
      p.status,
      p.requestedAt,
      p.expiresAt,
      p.failureCode,
      p.failureMessage,
    ],
  );
  return rows[0] as SandboxPayment;
}

export async function paymentByKey(db: Sql, paymentKey: string): Promise<SandboxPayment | null> {
  const { rows } = await db.query<SandboxPayment>(
    `SELECT ${PAYMENT_COLUMNS} FROM toss_sandbox.payments WHERE payment_key = $1`,
    [paymentKey],
  );
  return rows[0] ?? null;
}

/** The order's approved payment (there is at most one), if any. */
export async function approvedPaymentOfOrder(db: Sql, orderId: string): Promise<SandboxPayment | null> {
  const { rows } = await db.query<SandboxPayment>(
    `SELECT ${PAYMENT_COLUMNS} FROM toss_sandbox.payments WHERE order_id = $1 AND status IN ${APPROVED} LIMIT 1`,
    [orderId],
  );
  return rows[0] ?? null;
}

export async function newestPaymentOfOrder(db: Sql, orderId: string): Promise<SandboxPayment | null> {
  const { rows } = await db.query<SandboxPayment>(
    `SELECT ${PAYMENT_COLUMNS} FROM toss_sandbox.payments WHERE order_id = $1 ORDER BY requested_at DESC LIMIT 1`,
    [orderId],
  );
  return rows[0] ?? null;
}

export async function expirePayment(db: Sql, paymentKey: string): Promise<SandboxPayment> {
  const { rows } = await db.query<SandboxPayment>(
    `UPDATE toss_sandbox.payments SET status = 'EXPIRED' WHERE payment_key = $1 RETURNING ${PAYMENT_COLUMNS}`,
    [paymentKey],
  );
  const row = rows[0];
  if (!row) throw new Error(`toss sandbox: payment ${paymentKey} vanished`);
  return row;
}

/** IN_PROGRESS → DONE; null when the payment was no longer IN_PROGRESS (a concurrent confirm won). */
export async function approvePayment(
  db: Sql,
  paymentKey: string,
  approvedAt: Date,
  lastTransactionKey: string,
): Promise<SandboxPayment | null> {
  const { rows } = await db.query<SandboxPayment>(
    `UPDATE toss_sandbox.payments SET status = 'DONE', approved_at = $2, last_transaction_key = $3
      WHERE payment_key = $1 AND status = 'IN_PROGRESS'
     RETURNING ${PAYMENT_COLUMNS}`,
    [paymentKey, approvedAt, lastTransactionKey],
  );
  return rows[0] ?? null;
}

/** Waits for the payment's other cancels to finish (inside a transaction), then reads it. */
export async function lockPayment(tx: pg.PoolClient, paymentKey: string): Promise<SandboxPayment | null> {
  const { rows } = await tx.query<SandboxPayment>(
    `SELECT ${PAYMENT_COLUMNS} FROM toss_sandbox.payments WHERE payment_key = $1 FOR UPDATE`,
    [paymentKey],
  );
  return rows[0] ?? null;
}

/**
 * A cancel, conditional on the balance and status just read: a concurrent cancel that got there first
 * makes it match nothing (null).
 */
export async function recordCancel(
  db: Sql,
  paymentKey: string,
  expected: { balanceAmount: number; status: string },
  next: { balanceAmount: number; status: string; cancels: SandboxCancel[]; lastTransactionKey: string },
): Promise<SandboxPayment | null> {
  const { rows } = await db.query<SandboxPayment>(
    `UPDATE toss_sandbox.payments
        SET balance_amount = $4, status = $5, cancels = $6::jsonb, last_transaction_key = $7
      WHERE payment_key = $1 AND balance_amount = $2 AND status = $3
     RETURNING ${PAYMENT_COLUMNS}`,
    [
      paymentKey,
      expected.balanceAmount,
      expected.status,
      next.balanceAmount,
      next.status,
      JSON.stringify(next.cancels),
      next.lastTransactionKey,
    ],
  );
  return rows[0] ?? null;
}

export interface SandboxTransaction {
  transactionKey: string;
  paymentKey: string;
  orderId: string;
  method: string;
  status: string;
  amount: number;
  transactionAt: Date;
}

const TRANSACTION_COLUMNS = `transaction_key AS "transactionKey", payment_key AS "paymentKey",
  order_id AS "orderId", method, status, amount, transaction_at AS "transactionAt"`;

export async function insertTransaction(db: Sql, t: SandboxTransaction): Promise<void> {
  await db.query(
    `INSERT INTO toss_sandbox.transactions (transaction_key, payment_key, order_id, method, status, amount, transaction_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [t.transactionKey, t.paymentKey, t.orderId, t.method, t.status, t.amount, t.transactionAt],
  );
}

export async function transactionByKey(db: Sql, transactionKey: string): Promise<SandboxTransaction | null> {
  const { rows } = await db.query<SandboxTransaction>(
    `SELECT ${TRANSACTION_COLUMNS} FROM toss_sandbox.transactions WHERE transaction_key = $1`,
    [transactionKey],
  );
  return rows[0] ?? null;
}

/** Transactions in [start, end], oldest first, after `cursor` (in that order) when given. */
export async function transactionsBetween(
  db: Sql,
  range: { start: Date; end: Date; after: SandboxTransaction | null; limit: number },
): Promise<SandboxTransaction[]> {
  const { rows } = await db.query<SandboxTransaction>(
    `SELECT ${TRANSACTION_COLUMNS} FROM toss_sandbox.transactions
      WHERE transaction_at >= $1 AND transaction_at <= $2
        AND ($3::timestamptz IS NULL OR transaction_at > $3
             OR (transaction_at = $3 AND transaction_key > $4))
      ORDER BY transaction_at ASC, transaction_key ASC
      LIMIT $5`,
    [
      range.start,
      range.end,
      range.after?.transactionAt ?? null,
      range.after?.transactionKey ?? null,
      range.limit,
    ],
  );
  return rows;
}

// ---- Idempotency-Key claims ----

export interface IdempotencyRequest {
  key: string;
  secretKeyHash: string;
  httpMethod: string;
  path: string;
}

export async function deleteIdempotencyKeyOlderThan(db: Sql, key: string, before: Date): Promise<void> {
  await db.query('DELETE FROM toss_sandbox.idempotency_keys WHERE key = $1 AND created_at < $2', [
    key,
    before,
  ]);
}

/** The new claim's id, or null when this request was claimed before. */
export async function insertIdempotencyClaim(db: Sql, r: IdempotencyRequest): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO toss_sandbox.idempotency_keys (key, secret_key_hash, http_method, path)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (key, secret_key_hash, http_method, path) DO NOTHING
     RETURNING id`,
    [r.key, r.secretKeyHash, r.httpMethod, r.path],
  );
  return rows[0]?.id ?? null;
}

export async function idempotencyClaim(
  db: Sql,
  r: IdempotencyRequest,
): Promise<{ responseStatus: number | null; responseBody: unknown } | null> {
  const { rows } = await db.query<{ responseStatus: number | null; responseBody: unknown }>(
    `SELECT response_status AS "responseStatus", response_body AS "responseBody"
       FROM toss_sandbox.idempotency_keys
      WHERE key = $1 AND secret_key_hash = $2 AND http_method = $3 AND path = $4`,
    [r.key, r.secretKeyHash, r.httpMethod, r.path],
  );
  return rows[0] ?? null;
}

export async function storeIdempotencyResponse(db: Sql, id: string, status: number, body: unknown) {
  await db.query(
    'UPDATE toss_sandbox.idempotency_keys SET response_status = $2, response_body = $3::jsonb WHERE id = $1',
    [id, status, JSON.stringify(body)],
  );
}

export async function deleteIdempotencyClaim(db: Sql, id: string) {
  await db.query('DELETE FROM toss_sandbox.idempotency_keys WHERE id = $1', [id]);
}

// ---- faults ----

export interface Fault {
  action: 'delay' | 'error' | 'reset' | 'drop-response';
  ms: number | null;
  status: number | null;
  code: string | null;
}

export async function insertFault(
  db: Sql,
  f: Fault & { matchPath: string | null; matchOrderId: string | null; remaining: number | null },
): Promise<{ id: string }> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO toss_sandbox.faults (match_path, match_order_id, action, ms, status, code, remaining)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [f.matchPath, f.matchOrderId, f.action, f.ms, f.status, f.code, f.remaining],
  );
  return rows[0] as { id: string };
}

export async function deleteAllFaults(db: Sql) {
  await db.query('DELETE FROM toss_sandbox.faults');
}

/**
 * Takes the oldest fault matching this request, using one of its `times` atomically (so two concurrent
 * requests cannot both use the last one). A path matches when it equals the request path or is a prefix
 * of it.
 */
export async function takeMatchingFault(
  db: Sql,
  path: string,
  orderId: string | null,
): Promise<Fault | null> {
  const { rows } = await db.query<Fault>(
    `UPDATE toss_sandbox.faults SET remaining = remaining - 1
      WHERE id = (
        SELECT id FROM toss_sandbox.faults
         WHERE (match_path IS NULL OR $1::text = match_path OR $1::text LIKE match_path || '%')
           AND (match_order_id IS NULL OR match_order_id = $2::text)
           AND (remaining IS NULL OR remaining > 0)
         ORDER BY created_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
     RETURNING action, ms, status, code`,
    [path, orderId],
  );
  await db.query('DELETE FROM toss_sandbox.faults WHERE remaining = 0');
  return rows[0] ?? null;
}

// ---- webhooks ----

export interface SandboxWebhook {
  id: string;
  transmissionId: string;
  url: string;
  body: unknown;
  attempts: number;
}

export async function insertWebhook(db: Sql, w: { transmissionId: string; url: string; body: unknown }) {
  await db.query(
    'INSERT INTO toss_sandbox.webhooks (transmission_id, url, body) VALUES ($1, $2, $3::jsonb)',
    [w.transmissionId, w.url, JSON.stringify(w.body)],
  );
}

/**
 * Claims up to 20 due webhooks (pushing their next attempt an hour away while they are being sent), so
 * two senders never send one twice at once.
 */
export async function claimDueWebhooks(db: Sql, maxAttempts: number): Promise<SandboxWebhook[]> {
  const { rows } = await db.query<SandboxWebhook>(
    `UPDATE toss_sandbox.webhooks SET next_attempt_at = now() + interval '1 hour'
      WHERE id IN (SELECT id FROM toss_sandbox.webhooks
                    WHERE delivered_at IS NULL AND next_attempt_at <= now() AND attempts <= $1
                    ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED)
     RETURNING id, transmission_id AS "transmissionId", url, body, attempts`,
    [maxAttempts],
  );
  return rows;
}

export async function markWebhookDelivered(db: Sql, id: string, attempts: number) {
  await db.query('UPDATE toss_sandbox.webhooks SET delivered_at = $2, attempts = $3 WHERE id = $1', [
    id,
    new Date(),
    attempts,
  ]);
}

export async function scheduleWebhookRetry(db: Sql, id: string, attempts: number, nextAttemptAt: Date) {
  await db.query('UPDATE toss_sandbox.webhooks SET attempts = $2, next_attempt_at = $3 WHERE id = $1', [
    id,
    attempts,
    nextAttemptAt,
  ]);
}
