import type { DbOrTx, Tx } from '../db/client';

/** The endpoints other services registered for our events (webhook_endpoint). Secrets are stored sealed. */

export const endpointSelect = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  createdAt: true,
  disabledAt: true,
  previousSecretValidUntil: true,
  serviceKeyId: true,
} as const;

export function insertEndpoint(
  tx: Tx,
  data: {
    id: string;
    url: string;
    description: string;
    eventTypes: string[];
    sealedSecret: string;
    /** The service key that made it; none for an operator's. */
    serviceKeyId?: string | null;
  },
) {
  return tx.webhookEndpoint.create({ data, select: endpointSelect });
}

/** Every endpoint (the console), or only those one service key made. */
export function listEndpoints(db: DbOrTx, serviceKeyId?: string) {
  return db.webhookEndpoint.findMany({
    where: serviceKeyId === undefined ? {} : { serviceKeyId },
    orderBy: { createdAt: 'desc' },
    select: endpointSelect,
  });
}

/** The endpoint with its sealed secret (a service's create replayed: the same secret again). */
export function findEndpointWithSecret(db: DbOrTx, endpointId: string) {
  return db.webhookEndpoint.findUnique({
    where: { id: endpointId },
    select: { ...endpointSelect, sealedSecret: true },
  });
}

/** The endpoint with its sealed secrets, its row locked until `tx` ends. */
export async function lockEndpoint(tx: Tx, endpointId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM webhook_endpoint WHERE id = ${endpointId} FOR UPDATE`;
  if (!rows[0]) return null;
  return tx.webhookEndpoint.findUniqueOrThrow({
    where: { id: endpointId },
    select: { ...endpointSelect, sealedSecret: true },
  });
}

export function setEndpointEventTypes(tx: Tx, endpointId: string, eventTypes: string[]) {
  return tx.webhookEndpoint.update({
    where: { id: endpointId },
    data: { eventTypes },
    select: endpointSelect,
  });
}

export function replaceEndpointSecret(
  tx: Tx,
  endpointId: string,
  secrets: { sealedSecret: string; previousSealedSecret: string; previousSecretValidUntil: Date },
) {
  return tx.webhookEndpoint.update({ where: { id: endpointId }, data: secrets, select: endpointSelect });
}

export function disableEndpoint(tx: Tx, endpointId: string) {
  return tx.webhookEndpoint.update({
    where: { id: endpointId },
    data: { disabledAt: new Date() },
    select: endpointSelect,
  });
}

/** Enabled endpoints a service key made (its cap). */
export function countEnabledEndpoints(db: DbOrTx, serviceKeyId: string) {
  return db.webhookEndpoint.count({ where: { serviceKeyId, disabledAt: null } });
}

/** Disables every endpoint a service key made (the key was revoked); how many. */
export async function disableEndpointsOfKey(tx: Tx, serviceKeyId: string) {
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { serviceKeyId, disabledAt: null },
    data: { disabledAt: new Date() },
  });
  return count;
}
