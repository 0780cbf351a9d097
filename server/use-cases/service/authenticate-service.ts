import type { Db } from '../../building-blocks/db/client';
import type { DomainReason } from '../../building-blocks/errors/domain-error';
import { errorField, logger } from '../../building-blocks/log';
import { isServiceScope, type ServiceScope } from '../../building-blocks/service-auth/scopes';
import {
  findServiceKey,
  markServiceKeyUsed,
  recordNonce,
} from '../../building-blocks/service-auth/service-key.repository';
import {
  readSignatureHeaders,
  signatureMatches,
  timestampFresh,
} from '../../building-blocks/service-auth/signature';
import { secretsOf } from './service-keys';

/** A service whose signed request verified: the key (its row id for what it makes, its public id). */
export interface ServiceCaller {
  id: string;
  keyId: string;
  name: string;
  scopes: ServiceScope[];
}

export type ServiceAuthentication =
  | { kind: 'none' }
  | { kind: 'refused'; reason: DomainReason }
  | { kind: 'service'; service: ServiceCaller };

/**
 * Verifies a request's X-Pay-* headers against the key's secrets: unknown key, stale or future timestamp,
 * wrong signature, revoked key, replayed nonce are each refused, in that order, so nothing is recorded
 * (not even the nonce) for a request that does not verify. A request without any X-Pay-* header is no
 * service's (`none`).
 */
export async function authenticateService(
  db: Db,
  sealingKey: Buffer | null,
  request: {
    method: string;
    pathWithQuery: string;
    body: string;
    header: (name: string) => string | null;
  },
  now: Date = new Date(),
): Promise<ServiceAuthentication> {
  const read = readSignatureHeaders(request.header);
  if (!read.signed) return { kind: 'none' };
  if (read.malformed) return { kind: 'refused', reason: 'SIGNATURE_INVALID' };
  if (!sealingKey) return { kind: 'refused', reason: 'SEALING_KEY_MISSING' };
  const { headers } = read;
  const row = await findServiceKey(db, headers.keyId);
  if (!row) return { kind: 'refused', reason: 'SERVICE_KEY_UNKNOWN' };
  if (!timestampFresh(headers.timestamp, now)) return { kind: 'refused', reason: 'SIGNATURE_EXPIRED' };
  const secrets = secretsOf(sealingKey, row, now);
  if (secrets.length === 0) {
    logger.error(
      { err: errorField(new Error('sealed secret does not open')), keyId: row.keyId },
      'a service key secret does not open under SERVICE_KEY_ENCRYPTION_KEY (was the key changed?)',
    );
  }
  const parts = {
    method: request.method,
    pathWithQuery: request.pathWithQuery,
    timestamp: headers.timestamp,
    nonce: headers.nonce,
    body: request.body,
  };
  if (!signatureMatches(secrets, parts, headers.signature))
    return { kind: 'refused', reason: 'SIGNATURE_INVALID' };
  if (row.revokedAt) return { kind: 'refused', reason: 'SERVICE_KEY_REVOKED' };
  if (!(await recordNonce(db, row.id, headers.nonce))) return { kind: 'refused', reason: 'NONCE_REUSED' };
  await markServiceKeyUsed(db, row.id);
  return {
    kind: 'service',
    service: { id: row.id, keyId: row.keyId, name: row.name, scopes: row.scopes.filter(isServiceScope) },
  };
}
