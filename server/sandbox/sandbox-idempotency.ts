import { createHash } from 'node:crypto';
import {
  deleteIdempotencyClaim,
  deleteIdempotencyKeyOlderThan,
  idempotencyClaim,
  insertIdempotencyClaim,
  type SandboxDb,
  storeIdempotencyResponse,
} from './sandbox-store';

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
  db: SandboxDb,
  key: string,
  secretKey: string,
  httpMethod: string,
  path: string,
): Promise<Claim> {
  const secretKeyHash = createHash('sha256').update(secretKey).digest('hex');
  const request = { key, secretKeyHash, httpMethod, path };
  await deleteIdempotencyKeyOlderThan(db, key, new Date(Date.now() - RETENTION_MS));
  const inserted = await insertIdempotencyClaim(db, request);
  if (inserted) return { kind: 'claimed', id: inserted };
  const existing = await idempotencyClaim(db, request);
  if (!existing || existing.responseStatus === null) return { kind: 'in-flight' };
  return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
}

export async function storeIdempotentResponse(db: SandboxDb, id: string, status: number, body: unknown) {
  await storeIdempotencyResponse(db, id, status, body);
}

/** Forgets a claim whose request never ran (an injected failure), so a retry is processed afresh. */
export async function releaseIdempotencyKey(db: SandboxDb, id: string) {
  await deleteIdempotencyClaim(db, id);
}
