import { open } from '../../building-blocks/crypto/secret-box';
import type { Db, Tx } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import {
  EVENT_READ_SCOPE,
  type EventType,
  MAX_ENDPOINTS_PER_KEY,
} from '../../building-blocks/events/event-types';
import {
  countEnabledEndpoints,
  findEndpointWithSecret,
} from '../../building-blocks/events/webhook-endpoint.repository';
import {
  createEndpoint,
  disableEndpoint,
  type EndpointDeps,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpointEventTypes,
} from '../events/manage-endpoints';
import type { ServiceCaller } from './authenticate-service';
import { runServiceRequest } from './service-request';

/**
 * A service's own webhook endpoints (scope webhooks:write): the same use cases as the console's, acting
 * only on the endpoints this key made, each mutation once per requestId. The whsec_ secret comes back in
 * the answer that made it (create, rotate) and in that answer's replays, opened again from its sealed copy,
 * so a caller whose connection dropped does not lose it.
 *
 * A key subscribes only to what it could read (EVENT_READ_SCOPE: wallet.changed needs wallet:read, the
 * order, refund and course events orders:read), holds at most MAX_ENDPOINTS_PER_KEY enabled endpoints,
 * and revoking it disables them all (service-keys.ts).
 */

type EndpointRow = Awaited<ReturnType<typeof listEndpoints>>[number];

const view = (endpoint: EndpointRow) => ({
  endpointId: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.eventTypes,
  createdAt: endpoint.createdAt,
  disabledAt: endpoint.disabledAt,
  previousSecretValidUntil: endpoint.previousSecretValidUntil,
});

const actorOf = (service: ServiceCaller) => ({ kind: 'service' as const, serviceKeyId: service.id });

/** Refuses event types this key could not read. */
function checkReadable(service: ServiceCaller, events: string[]) {
  for (const event of events) {
    const scope = EVENT_READ_SCOPE[event as EventType];
    if (!scope || !service.scopes.includes(scope)) {
      throw new DomainError('SCOPE_MISSING', `Subscribing to ${event} needs the scope ${scope ?? '?'}.`);
    }
  }
}

/** The endpoint as it now stands with its current secret: what a replayed create or rotate answers. */
async function withCurrentSecret(tx: Tx, deps: EndpointDeps, endpointId: string) {
  const endpoint = await findEndpointWithSecret(tx, endpointId);
  if (!endpoint) throw new DomainError('WEBHOOK_ENDPOINT_NOT_FOUND');
  if (!deps.sealingKey) throw new DomainError('SEALING_KEY_MISSING');
  const secret = open(deps.sealingKey, endpoint.sealedSecret);
  if (secret === null) throw new Error('an endpoint secret does not open under SERVICE_KEY_ENCRYPTION_KEY');
  return { ...view(endpoint), secret };
}

export function createServiceEndpoint(
  db: Db,
  deps: EndpointDeps,
  service: ServiceCaller,
  input: { url: string; events: string[]; description: string; requestId: string },
) {
  const { requestId, events, ...rest } = input;
  return runServiceRequest(
    db,
    {
      serviceKeyId: service.id,
      requestId,
      operation: 'service.webhooks.create',
      payload: { ...rest, events: [...new Set(events)].sort().join(',') },
    },
    async (tx) => {
      checkReadable(service, events);
      if ((await countEnabledEndpoints(tx, service.id)) >= MAX_ENDPOINTS_PER_KEY) {
        throw new DomainError('WEBHOOK_ENDPOINT_LIMIT');
      }
      const { endpoint, secret } = await createEndpoint(tx, deps, actorOf(service), {
        ...rest,
        eventTypes: events,
      });
      return { subjectId: endpoint.id, value: { ...view(endpoint), secret } };
    },
    (tx, endpointId) => withCurrentSecret(tx, deps, endpointId),
  );
}

export async function listServiceEndpoints(db: Db, service: ServiceCaller) {
  return { items: (await listEndpoints(db, actorOf(service))).map(view) };
}

/** The endpoint as it now stands (a replayed update or disable). */
async function current(tx: Tx, endpointId: string) {
  const endpoint = await findEndpointWithSecret(tx, endpointId);
  if (!endpoint) throw new DomainError('WEBHOOK_ENDPOINT_NOT_FOUND');
  return view(endpoint);
}

export function updateServiceEndpoint(
  db: Db,
  service: ServiceCaller,
  input: { endpointId: string; events: string[]; requestId: string },
) {
  return runServiceRequest(
    db,
    {
      serviceKeyId: service.id,
      requestId: input.requestId,
      operation: 'service.webhooks.update',
      payload: { endpointId: input.endpointId, events: [...new Set(input.events)].sort().join(',') },
    },
    async (tx) => {
      checkReadable(service, input.events);
      const endpoint = await updateEndpointEventTypes(tx, actorOf(service), input.endpointId, input.events);
      return { subjectId: endpoint.id, value: view(endpoint) };
    },
    current,
  );
}

/** A new secret; deliveries carry a signature with the previous one too for the overlap (24 h). */
export function rotateServiceEndpointSecret(
  db: Db,
  deps: EndpointDeps,
  service: ServiceCaller,
  input: { endpointId: string; requestId: string },
) {
  return runServiceRequest(
    db,
    {
      serviceKeyId: service.id,
      requestId: input.requestId,
      operation: 'service.webhooks.rotateSecret',
      payload: { endpointId: input.endpointId },
    },
    async (tx) => {
      const { endpoint, secret } = await rotateEndpointSecret(tx, deps, actorOf(service), input.endpointId);
      return { subjectId: endpoint.id, value: { ...view(endpoint), secret } };
    },
    (tx, endpointId) => withCurrentSecret(tx, deps, endpointId),
  );
}

export function disableServiceEndpoint(
  db: Db,
  service: ServiceCaller,
  input: { endpointId: string; requestId: string },
) {
  return runServiceRequest(
    db,
    {
      serviceKeyId: service.id,
      requestId: input.requestId,
      operation: 'service.webhooks.disable',
      payload: { endpointId: input.endpointId },
    },
    async (tx) => {
      const endpoint = await disableEndpoint(tx, actorOf(service), input.endpointId);
      return { subjectId: endpoint.id, value: view(endpoint) };
    },
    current,
  );
}
