import { randomBytes } from 'node:crypto';
import {
  type AdminActor,
  type NewAdminAction,
  recordAdminAction,
} from '../../building-blocks/audit/admin-action.repository';
import { seal } from '../../building-blocks/crypto/secret-box';
import type { DbOrTx, Tx } from '../../building-blocks/db/client';
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
 * beside the new one for ROTATION_OVERLAP_MS), disable. Two kinds of actor: an admin on the console
 * (audited in the same transaction) acts on any endpoint; a service (webhooks:write) acts only on the
 * endpoints its own key made, and another's is WEBHOOK_ENDPOINT_NOT_FOUND to it. Each action runs in
 * the transaction it is given, so a service's idempotent request and its effect commit together.
 */

export interface EndpointDeps {
  /** SERVICE_KEY_ENCRYPTION_KEY, or null when unset (then nothing here works). */
  sealingKey: Buffer | null;
  mode: 'live' | 'sandbox';
}

/** What the endpoint use cases need from a request: the sealing key, and live or sandbox (URL rules). */
export function endpointDeps(ctx: { sandboxMode: boolean; sealingKey: Buffer | null }): EndpointDeps {
  return { sealingKey: ctx.sealingKey, mode: ctx.sandboxMode ? 'sandbox' : 'live' };
}

export type EndpointActor =
  | { kind: 'admin'; admin: AdminActor }
  /** A service key's row id (service_key.id). */
  | { kind: 'service'; serviceKeyId: string };

function keyOf(deps: EndpointDeps): Buffer {
  if (!deps.sealingKey) throw new DomainError('SEALING_KEY_MISSING');
  return deps.sealingKey;
}

/** An admin's action goes to the audit log; a service's request is its own record (service_request). */
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
  if (actor.kind !== 'admin') return;
  await recordAdminAction(tx, {
    admin: actor.admin,
    action,
    subjectType: 'WEBHOOK_ENDPOINT',
    subjectId: endpointId,
    details,
  });
}

export async function createEndpoint(
  tx: Tx,
  deps: EndpointDeps,
  actor: EndpointActor,
  input: { url: string; description?: string; eventTypes: string[] },
) {
  const key = keyOf(deps);
  const url = checkEndpointUrl(input.url, deps.mode);
  const secret = newSigningSecret();
  const eventTypes = [...new Set(input.eventTypes)].sort();
  const endpoint = await insertEndpoint(tx, {
    id: `ep_${randomBytes(12).toString('hex')}`,
    url,
    description: input.description ?? '',
    eventTypes,
    sealedSecret: seal(key, secret),
    serviceKeyId: actor.kind === 'service' ? actor.serviceKeyId : null,
  });
  await audit(tx, actor, 'WEBHOOK_ENDPOINT_CREATE', endpoint.id, { after: { url, eventTypes } });
  return { endpoint, secret };
}

/** Every endpoint for an admin; a service's own for a service. Never a secret. */
export function listEndpoints(db: DbOrTx, actor: EndpointActor) {
  return listEndpointRows(db, actor.kind === 'service' ? actor.serviceKeyId : undefined);
}

/** The endpoint locked, if this actor may act on it and it is still enabled. */
async function lockedEnabled(tx: Tx, actor: EndpointActor, endpointId: string) {
  const endpoint = await lockEndpoint(tx, endpointId);
  const visible = endpoint && (actor.kind === 'admin' || endpoint.serviceKeyId === actor.serviceKeyId);
  if (!visible) throw new DomainError('WEBHOOK_ENDPOINT_NOT_FOUND');
  if (endpoint.disabledAt) throw new DomainError('WEBHOOK_ENDPOINT_DISABLED');
  return endpoint;
}

export async function updateEndpointEventTypes(
  tx: Tx,
  actor: EndpointActor,
  endpointId: string,
  eventTypes: string[],
) {
  const types = [...new Set(eventTypes)].sort();
  const before = await lockedEnabled(tx, actor, endpointId);
  const after = await setEndpointEventTypes(tx, endpointId, types);
  await audit(tx, actor, 'WEBHOOK_ENDPOINT_UPDATE', endpointId, {
    before: before.eventTypes,
    after: after.eventTypes,
  });
  return after;
}

/** A new secret, returned once; the previous one signs beside it until `previousSecretValidUntil`. */
export async function rotateEndpointSecret(
  tx: Tx,
  deps: EndpointDeps,
  actor: EndpointActor,
  endpointId: string,
) {
  const key = keyOf(deps);
  const secret = newSigningSecret();
  const before = await lockedEnabled(tx, actor, endpointId);
  const previousSecretValidUntil = new Date(Date.now() + ROTATION_OVERLAP_MS);
  const endpoint = await replaceEndpointSecret(tx, endpointId, {
    sealedSecret: seal(key, secret),
    previousSealedSecret: before.sealedSecret,
    previousSecretValidUntil,
  });
  await audit(tx, actor, 'WEBHOOK_ENDPOINT_ROTATE', endpointId, {
    previousSecretValidUntil: previousSecretValidUntil.toISOString(),
  });
  return { endpoint, secret };
}

/** No more events are fanned out or sent to it; its pending deliveries stay as they are. */
export async function disableEndpoint(tx: Tx, actor: EndpointActor, endpointId: string) {
  await lockedEnabled(tx, actor, endpointId);
  const after = await disableEndpointRow(tx, endpointId);
  await audit(tx, actor, 'WEBHOOK_ENDPOINT_DISABLE', endpointId, {
    disabledAt: after.disabledAt?.toISOString() ?? null,
  });
  return after;
}
