import { createHash } from 'node:crypto';
import type { Db } from '../building-blocks/db/client';

/**
 * Toss's Idempotency-Key: on POST, a key is matched with the secret key, path and method. The first
 * response (errors included) is replayed for 15 days; a repeat while the first is still being
 * processed gets 409 IDEMPOTENT_REQUEST_PROCESSING.
 */

const RETENTION_MS = 15 * 24 * 3_600_000;

export type Claim =
  | { kind: 'claimed'; id: string }
  | { kind: 'in-flight' }
  | { kind: 'replay'; status: number; body: unknown };

export async function claimIdempotencyKey(
  db: Db,
  key: string,
  secretKey: string,
  httpMethod: string,
  path: string,
): Promise<Claim> {
  const secretKeyHash = createHash('sha256').update(secretKey).digest('hex');
  await db.$executeRaw`
    DELETE FROM toss_sandbox_idempotency
     WHERE key = ${key} AND created_at < ${new Date(Date.now() - RETENTION_MS)}`;
  const inserted = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO toss_sandbox_idempotency (key, secret_key_hash, http_method, path)
    VALUES (${key}, ${secretKeyHash}, ${httpMethod}, ${path})
    ON CONFLICT (key, secret_key_hash, http_method, path) DO NOTHING
    RETURNING id`;
  if (inserted[0]) return { kind: 'claimed', id: inserted[0].id };
  const existing = await db.tossSandboxIdempotency.findUnique({
    where: { key_secretKeyHash_httpMethod_path: { key, secretKeyHash, httpMethod, path } },
  });
  if (!existing || existing.responseStatus === null) return { kind: 'in-flight' };
  return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
}

export async function storeIdempotentResponse(db: Db, id: string, status: number, body: unknown) {
  await db.tossSandboxIdempotency.update({
    where: { id },
    data: { responseStatus: status, responseBody: body as object },
  });
}

/** Forgets a claim whose request never ran (an injected failure), so a retry is processed afresh. */
export async function releaseIdempotencyKey(db: Db, id: string) {
  await db.tossSandboxIdempotency.deleteMany({ where: { id } });
}
