import type { DbOrTx, Tx } from '../db/client';
import type { ServiceScope } from './scopes';

/**
 * service_key: other services' keys, their secrets sealed; service_request_nonce: the nonces of signed
 * requests seen in the last 600 s (a timestamp may be 300 s either way of our clock, so a nonce must be
 * remembered that long to be refused when replayed).
 */

export const serviceKeySelect = {
  id: true,
  keyId: true,
  name: true,
  scopes: true,
  sealedSecret: true,
  previousSealedSecret: true,
  previousValidUntil: true,
  createdAt: true,
  revokedAt: true,
  lastUsedAt: true,
} as const;

export type ServiceKeyRow = {
  id: string;
  keyId: string;
  name: string;
  scopes: string[];
  sealedSecret: string;
  previousSealedSecret: string | null;
  previousValidUntil: Date | null;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

export function insertServiceKey(
  db: DbOrTx,
  key: { keyId: string; name: string; scopes: ServiceScope[]; sealedSecret: string },
): Promise<ServiceKeyRow> {
  return db.serviceKey.create({ data: key, select: serviceKeySelect });
}

export function listServiceKeys(db: DbOrTx): Promise<ServiceKeyRow[]> {
  return db.serviceKey.findMany({
    orderBy: [{ createdAt: 'desc' }, { keyId: 'asc' }],
    select: serviceKeySelect,
  });
}

export function findServiceKey(db: DbOrTx, keyId: string): Promise<ServiceKeyRow | null> {
  return db.serviceKey.findUnique({ where: { keyId }, select: serviceKeySelect });
}

/** Revokes a key not yet revoked; null when there is no such key or it already was. */
export async function revokeServiceKey(tx: Tx, keyId: string): Promise<ServiceKeyRow | null> {
  const { count } = await tx.serviceKey.updateMany({
    where: { keyId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1 ? tx.serviceKey.findUniqueOrThrow({ where: { keyId }, select: serviceKeySelect }) : null;
}

/**
 * Makes `sealedSecret` the key's secret and keeps the one it replaces valid until `previousValidUntil`
 * (a secret rotated out earlier is then forgotten). Null when there is no such key or it is revoked.
 */
export async function rotateServiceKeySecret(
  tx: Tx,
  keyId: string,
  sealedSecret: string,
  previousValidUntil: Date,
): Promise<ServiceKeyRow | null> {
  const rows = await tx.$queryRaw<{ key_id: string }[]>`
    UPDATE service_key
       SET previous_sealed_secret = sealed_secret,
           previous_valid_until = ${previousValidUntil},
           sealed_secret = ${sealedSecret}
     WHERE key_id = ${keyId} AND revoked_at IS NULL
    RETURNING key_id`;
  return rows[0] ? tx.serviceKey.findUniqueOrThrow({ where: { keyId }, select: serviceKeySelect }) : null;
}

/**
 * Records that the key was just used, at most once a minute: a busy caller's requests do not all queue
 * on its row to write the same fact.
 */
export async function markServiceKeyUsed(db: DbOrTx, id: string): Promise<void> {
  const now = new Date();
  await db.serviceKey.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
}

/**
 * Records a request's nonce for its key: true when it is new, false when it was seen before. Nonces
 * older than 600 s are swept in the same statement.
 */
export async function recordNonce(db: DbOrTx, serviceKeyId: string, nonce: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ nonce: string }[]>`
    WITH swept AS (
      DELETE FROM service_request_nonce WHERE seen_at < now() - interval '600 seconds'
    )
    INSERT INTO service_request_nonce (service_key_id, nonce)
    VALUES (${serviceKeyId}::uuid, ${nonce})
    ON CONFLICT DO NOTHING
    RETURNING nonce`;
  return rows.length === 1;
}
