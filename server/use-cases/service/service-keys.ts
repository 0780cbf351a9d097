import { type AdminActor, recordAdminAction } from '../../building-blocks/audit/admin-action.repository';
import { open, seal } from '../../building-blocks/crypto/secret-box';
import type { Db } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { disableEndpointsOfKey } from '../../building-blocks/events/webhook-endpoint.repository';
import { isServiceScope, type ServiceScope } from '../../building-blocks/service-auth/scopes';
import {
  findServiceKey,
  insertServiceKey,
  listServiceKeys as listKeyRows,
  revokeServiceKey as revokeKeyRow,
  rotateServiceKeySecret,
  type ServiceKeyRow,
} from '../../building-blocks/service-auth/service-key.repository';
import { newKeyCredentials, newSecret } from '../../building-blocks/service-auth/signature';

/**
 * Service keys as an operator keeps them (npm run service-key, the admin console): made with a name and
 * scopes, listed, revoked, rotated. A secret is shown once, when it is made; it is stored sealed under
 * the server's key (SERVICE_KEY_ENCRYPTION_KEY) and never shown again. The console's actions are audited
 * (`admin`); the CLI's are not, as whoever runs it reaches the database anyway.
 */

/** What anyone may see of a key: never its secret. */
export interface ServiceKeyView {
  keyId: string;
  name: string;
  scopes: ServiceScope[];
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** After a rotation: until when the previous secret still verifies (null when none does). */
  previousValidUntil: Date | null;
}

export function toServiceKeyView(row: ServiceKeyRow, now = new Date()): ServiceKeyView {
  const overlap = row.previousValidUntil && row.previousValidUntil > now ? row.previousValidUntil : null;
  return {
    keyId: row.keyId,
    name: row.name,
    scopes: row.scopes.filter(isServiceScope),
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
    previousValidUntil: overlap,
  };
}

function requireSealingKey(sealingKey: Buffer | null): Buffer {
  if (!sealingKey) throw new DomainError('SEALING_KEY_MISSING');
  return sealingKey;
}

export async function createServiceKey(
  db: Db,
  sealingKey: Buffer | null,
  input: { name: string; scopes: ServiceScope[] },
  admin?: AdminActor,
): Promise<{ keyId: string; secret: string; scopes: ServiceScope[]; key: ServiceKeyView }> {
  const key = requireSealingKey(sealingKey);
  const { keyId, secret } = newKeyCredentials();
  const row = await db.$transaction(async (tx) => {
    const created = await insertServiceKey(tx, {
      keyId,
      name: input.name.trim(),
      scopes: input.scopes,
      sealedSecret: seal(key, secret),
    });
    if (admin) {
      await recordAdminAction(tx, {
        admin,
        action: 'SERVICE_KEY_CREATE',
        subjectType: 'SERVICE_KEY',
        subjectId: created.keyId,
        details: { before: null, after: { name: created.name, scopes: created.scopes } },
      });
    }
    return created;
  });
  return { keyId, secret, scopes: input.scopes, key: toServiceKeyView(row) };
}

export async function listServiceKeys(db: Db): Promise<ServiceKeyView[]> {
  const now = new Date();
  return (await listKeyRows(db)).map((row) => toServiceKeyView(row, now));
}

/** Revokes a key at once (its next request is refused); a revoked or unknown key is SERVICE_KEY_UNKNOWN. */
export async function revokeServiceKey(
  db: Db,
  keyId: string,
  admin?: AdminActor & { reason?: string },
): Promise<ServiceKeyView> {
  const row = await db.$transaction(async (tx) => {
    const revoked = await revokeKeyRow(tx, keyId);
    if (!revoked) throw await missing(db, keyId);
    // Its endpoints stop receiving events with it: a leaked key must not keep a feed of learners' events.
    await disableEndpointsOfKey(tx, revoked.id);
    if (admin) {
      await recordAdminAction(tx, {
        admin,
        action: 'SERVICE_KEY_REVOKE',
        subjectType: 'SERVICE_KEY',
        subjectId: keyId,
        details: {
          name: revoked.name,
          before: { revokedAt: null },
          after: { revokedAt: revoked.revokedAt?.toISOString() ?? null },
        },
        reason: admin.reason ?? null,
      });
    }
    return revoked;
  });
  return toServiceKeyView(row);
}

export const DEFAULT_OVERLAP_HOURS = 24;

/**
 * A new secret for the key, shown once; the one it replaces keeps verifying for `overlapHours` (0: not
 * at all), so callers can roll over without a refused request.
 */
export async function rotateServiceKey(
  db: Db,
  sealingKey: Buffer | null,
  keyId: string,
  overlapHours: number = DEFAULT_OVERLAP_HOURS,
  admin?: AdminActor,
): Promise<{ keyId: string; secret: string; previousValidUntil: Date; key: ServiceKeyView }> {
  const key = requireSealingKey(sealingKey);
  const secret = newSecret();
  const previousValidUntil = new Date(Date.now() + overlapHours * 3_600_000);
  const row = await db.$transaction(async (tx) => {
    const rotated = await rotateServiceKeySecret(tx, keyId, seal(key, secret), previousValidUntil);
    if (!rotated) throw await missing(db, keyId);
    if (admin) {
      await recordAdminAction(tx, {
        admin,
        action: 'SERVICE_KEY_ROTATE',
        subjectType: 'SERVICE_KEY',
        subjectId: keyId,
        details: { name: rotated.name, overlapHours, previousValidUntil: previousValidUntil.toISOString() },
      });
    }
    return rotated;
  });
  return { keyId, secret, previousValidUntil, key: toServiceKeyView(row) };
}

async function missing(db: Db, keyId: string): Promise<DomainError> {
  const row = await findServiceKey(db, keyId);
  return new DomainError(row?.revokedAt ? 'SERVICE_KEY_REVOKED' : 'SERVICE_KEY_UNKNOWN');
}

/** The secrets that verify a request to `row` now: its own, and the previous one during the overlap. */
export function secretsOf(sealingKey: Buffer, row: ServiceKeyRow, now: Date): string[] {
  const secrets = [open(sealingKey, row.sealedSecret)];
  if (row.previousSealedSecret && row.previousValidUntil && row.previousValidUntil > now) {
    secrets.push(open(sealingKey, row.previousSealedSecret));
  }
  return secrets.filter((s): s is string => s !== null);
}
