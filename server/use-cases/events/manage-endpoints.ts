import { randomBytes } from 'node:crypto';
import {
  type AdminActor,
  type NewAdminAction,
  recordAdminAction,
} from '../../building-blocks/audit/admin-action.repository';
import { seal } from '../../building-blocks/crypto/secret-box';
import type { Db, Tx } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { ROTATION_OVERLAP_MS } from '../../building-blocks/events/event-types';
import { newSigningSecret } from '../../building-blocks/events/sign-event';
import {
  disableEndpoint as disableEndpointRow,
  insertEndpoint,
  listEndpoints as listEndpointRows,
  lockEndpoint,
  replaceEndpointSecret,
  setEndpointEventTypes,
} from '../../building-blocks/events/webhook-endpoint.repository';
import { checkEndpointUrl } from './endpoint-url';

/**
 * The endpoints other services receive our events at: create (the whsec_ secret is returned once and
 * stored only sealed), list, change the event types, rotate the secret (the previous one keeps signing
 * beside the new one for ROTATION_OVERLAP_MS), disable. Plain use cases: the admin console calls them
 * with the admin as the actor (audited in the same transaction); a service router can call them later.
 */

export interface EndpointDeps {
  db: Db;
  /** SERVICE_KEY_ENCRYPTION_KEY, or null when unset (then nothing here works). */
  sealingKey: Buffer | null;
  mode: 'live' | 'sandbox';
}

export type EndpointActor = { kind: 'admin'; admin: AdminActor };

function keyOf(deps: EndpointDeps): Buffer {
  if (!deps.sealingKey) throw new DomainError('SEALING_KEY_MISSING');
  return deps.sealingKey;
}

async function audit(
  tx: Tx,
  actor: EndpointActor,
  action:
    | 'WEBHOOK_ENDPOINT_CREATE'
    | 'WEBHOOK_ENDPOINT_UPDATE'
    | 'WEBHOOK_ENDPOINT_ROTATE'
    | 'WEBHOOK_ENDPOINT_DISABLE',
  endpointId: string,
  details: NewAdminAction['details'],
) {
  await recordAdminAction(tx, {
    admin: actor.admin,
    action,
    subjectType: 'WEBHOOK_ENDPOINT',
    subjectId: endpointId,
    details,
  });
}

export async function createEndpoint(
  deps: EndpointDeps,
  actor: EndpointActor,
  input: { url: string; description?: string; eventTypes: string[] },
) {
  const key = keyOf(deps);
  const url = checkEndpointUrl(input.url, deps.mode);
  const secret = newSigningSecret();
  const eventTypes = [...new Set(input.eventTypes)].sort();
  const endpoint = await deps.db.$transaction(async (tx) => {
    const row = await insertEndpoint(tx, {
      id: `ep_${randomBytes(12).toString('hex')}`,
      url,
      description: input.description ?? '',
      eventTypes,
      sealedSecret: seal(key, secret),
    });
    await audit(tx, actor, 'WEBHOOK_ENDPOINT_CREATE', row.id, { after: { url, eventTypes } });
    return row;
  });
  return { endpoint, secret };
}

export function listEndpoints(deps: Pick<EndpointDeps, 'db'>) {
  return listEndpointRows(deps.db);
}

async function lockedEnabled(tx: Tx, endpointId: string) {
  const endpoint = await lockEndpoint(tx, endpointId);
  if (!endpoint) throw new DomainError('WEBHOOK_ENDPOINT_NOT_FOUND');
  if (endpoint.disabledAt) throw new DomainError('WEBHOOK_ENDPOINT_DISABLED');
  return endpoint;
}

export function updateEndpointEventTypes(
  deps: EndpointDeps,
  actor: EndpointActor,
  endpointId: string,
  eventTypes: string[],
) {
  const types = [...new Set(eventTypes)].sort();
  return deps.db.$transaction(async (tx) => {
    const before = await lockedEnabled(tx, endpointId);
    const after = await setEndpointEventTypes(tx, endpointId, types);
    await audit(tx, actor, 'WEBHOOK_ENDPOINT_UPDATE', endpointId, {
      before: before.eventTypes,
      after: after.eventTypes,
    });
    return after;
  });
}

/** A new secret, returned once; the previous one signs beside it until `previousSecretValidUntil`. */
export async function rotateEndpointSecret(deps: EndpointDeps, actor: EndpointActor, endpointId: string) {
  const key = keyOf(deps);
  const secret = newSigningSecret();
  const endpoint = await deps.db.$transaction(async (tx) => {
    const before = await lockedEnabled(tx, endpointId);
    const previousSecretValidUntil = new Date(Date.now() + ROTATION_OVERLAP_MS);
    const after = await replaceEndpointSecret(tx, endpointId, {
      sealedSecret: seal(key, secret),
      previousSealedSecret: before.sealedSecret,
      previousSecretValidUntil,
    });
    await audit(tx, actor, 'WEBHOOK_ENDPOINT_ROTATE', endpointId, {
      previousSecretValidUntil: previousSecretValidUntil.toISOString(),
    });
    return after;
  });
  return { endpoint, secret };
}

/** No more events are fanned out or sent to it; its pending deliveries stay as they are. */
export function disableEndpoint(deps: EndpointDeps, actor: EndpointActor, endpointId: string) {
  return deps.db.$transaction(async (tx) => {
    await lockedEnabled(tx, endpointId);
    const after = await disableEndpointRow(tx, endpointId);
    await audit(tx, actor, 'WEBHOOK_ENDPOINT_DISABLE', endpointId, {
      disabledAt: after.disabledAt?.toISOString() ?? null,
    });
    return after;
  });
}
