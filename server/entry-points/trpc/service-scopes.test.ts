import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_SCOPES, type ServiceScope } from '../../building-blocks/service-auth/scopes';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createCourse, signedInCaller, TEST_SEALING_KEY } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { createServiceKey } from '../../use-cases/service/service-keys';
import { createServiceClient, errorReason } from './client';
import type { ProcedureMeta } from './init';
import { appRouter } from './router';

/**
 * The scope each service procedure needs, stated here once by hand: the router must declare exactly
 * these (a new service procedure fails until it has a row), and a signed call by a key holding every
 * other scope is refused with SCOPE_MISSING and changes nothing, while the same call by a key holding
 * every scope goes through.
 */

let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
type Client = ReturnType<typeof createServiceClient>;
let everyScope: Client;
/** What the calls name: made in beforeAll, the endpoint and the course by the every-scope key. */
let f: {
  userId: string;
  userEmail: string;
  courseId: string;
  orderId: string;
  paidOrderId: string;
  endpointId: string;
};

const client = async (scopes: ServiceScope[]) => {
  const key = await createServiceKey(t.db, TEST_SEALING_KEY, { name: 'scope test', scopes });
  return createServiceClient({ url: server.baseUrl, keyId: key.keyId, secret: key.secret });
};

beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
  everyScope = await client([...SERVICE_SCOPES]);
  const { user, caller } = await signedInCaller(t.db);
  const course = await createCourse(t.db, 20_000);
  await caller.wallet.charge({ amount: 50_000, requestId: crypto.randomUUID() });
  const paid = await caller.wallet.pay({ courseId: course.id, requestId: crypto.randomUUID() });
  const order = await everyScope.service.orders.create.mutate({
    userId: user.id,
    type: 'CHARGE',
    amount: 5_000,
    requestId: 'fixture-order',
  });
  const endpoint = await everyScope.service.webhooks.create.mutate({
    url: 'https://courses.example/hooks',
    events: ['order.approved'],
    requestId: 'fixture-endpoint',
  });
  await everyScope.service.catalogue.upsert.mutate({
    reference: 'course-to-retire',
    title: 'Retiring',
    price: 10_000,
    requestId: 'fixture-course',
  });
  f = {
    userId: user.id,
    userEmail: user.email,
    courseId: course.id,
    orderId: order.orderId,
    paidOrderId: paid.orderId,
    endpointId: endpoint.endpointId,
  };
});
afterAll(async () => {
  await server?.close();
  await t.drop();
});

/** Every service procedure, the scope it needs, and a call that succeeds given that scope. */
const SCOPE_OF: { path: string; scope: ServiceScope; call: (c: Client) => Promise<unknown> }[] = [
  {
    path: 'service.orders.create',
    scope: 'orders:write',
    call: (c) =>
      c.service.orders.create.mutate({
        userId: f.userId,
        type: 'CHARGE',
        amount: 7_000,
        requestId: 'scope-order',
      }),
  },
  {
    path: 'service.orders.get',
    scope: 'orders:read',
    call: (c) => c.service.orders.get.query({ orderId: f.orderId }),
  },
  {
    path: 'service.orders.list',
    scope: 'orders:read',
    call: (c) => c.service.orders.list.query({ userEmail: f.userEmail }),
  },
  {
    path: 'service.refunds.create',
    scope: 'refunds:write',
    call: (c) =>
      c.service.refunds.create.mutate({
        orderId: f.paidOrderId,
        reason: 'scope test',
        requestId: 'scope-refund',
      }),
  },
  {
    path: 'service.wallet.get',
    scope: 'wallet:read',
    call: (c) => c.service.wallet.get.query({ userId: f.userId }),
  },
  {
    path: 'service.wallet.byUserId',
    scope: 'wallet:read',
    call: (c) => c.service.wallet.byUserId.query({ userId: f.userId }),
  },
  {
    path: 'service.catalogue.upsert',
    scope: 'catalogue:write',
    call: (c) =>
      c.service.catalogue.upsert.mutate({
        reference: 'course-new',
        title: 'New',
        price: 15_000,
        requestId: 'scope-upsert',
      }),
  },
  {
    path: 'service.catalogue.retire',
    scope: 'catalogue:write',
    call: (c) =>
      c.service.catalogue.retire.mutate({ reference: 'course-to-retire', requestId: 'scope-retire' }),
  },
  {
    path: 'service.webhooks.create',
    scope: 'webhooks:write',
    call: (c) =>
      c.service.webhooks.create.mutate({
        url: 'https://courses.example/other-hooks',
        events: ['order.approved'],
        requestId: 'scope-endpoint',
      }),
  },
  {
    path: 'service.webhooks.list',
    scope: 'webhooks:write',
    call: (c) => c.service.webhooks.list.query(),
  },
  {
    path: 'service.webhooks.update',
    scope: 'webhooks:write',
    call: (c) =>
      c.service.webhooks.update.mutate({
        endpointId: f.endpointId,
        events: ['order.approved', 'order.failed'],
        requestId: 'scope-update',
      }),
  },
  {
    path: 'service.webhooks.rotateSecret',
    scope: 'webhooks:write',
    call: (c) =>
      c.service.webhooks.rotateSecret.mutate({ endpointId: f.endpointId, requestId: 'scope-rotate' }),
  },
  {
    path: 'service.webhooks.disable',
    scope: 'webhooks:write',
    call: (c) => c.service.webhooks.disable.mutate({ endpointId: f.endpointId, requestId: 'scope-disable' }),
  },
];

/** The router's procedures by their dotted path (tRPC keeps them flat). */
const PROCEDURES = appRouter._def.procedures as unknown as Record<
  string,
  { _def: { type: 'query' | 'mutation' | 'subscription'; meta?: ProcedureMeta } }
>;

/** Every table a service call could change, each as its row count and a digest of its rows. */
const TABLES = [
  'orders',
  'payment',
  'refund',
  'wallet',
  'wallet_transaction',
  'wallet_hold',
  'course',
  'enrollment',
  'ended_enrollment',
  'idempotency_key',
  'service_request',
  'webhook_endpoint',
  'outbox_event',
  'event_delivery',
  'admin_action',
  'operator_alert',
] as const;

async function books() {
  const digests: Record<string, unknown> = {};
  for (const table of TABLES) {
    digests[table] = await t.db.$queryRawUnsafe(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) AS digest
         FROM ${table} r`,
    );
  }
  return digests;
}

describe('the scope of each service procedure', () => {
  it('the router declares exactly the table: every service procedure and only they have a scope', () => {
    const declared = Object.fromEntries(
      Object.entries(PROCEDURES)
        .filter(([path, p]) => path.startsWith('service.') || p._def.meta?.scope !== undefined)
        .map(([path, p]) => [path, p._def.meta?.scope]),
    );
    expect(declared).toEqual(Object.fromEntries(SCOPE_OF.map((row) => [row.path, row.scope])));
  });

  const missing = new Map<ServiceScope, Client>();
  it.each(SCOPE_OF)('$path: refused without $scope, changing nothing; done with it', async (row) => {
    const others = SERVICE_SCOPES.filter((s) => s !== row.scope);
    if (!missing.has(row.scope)) missing.set(row.scope, await client(others));
    const before = await books();
    const refused = await row.call(missing.get(row.scope) as Client).catch(errorReason);
    expect(refused).toBe('SCOPE_MISSING');
    expect(await books()).toEqual(before);
    // The same call goes through with the scope (what was refused was the scope, not the input), and a
    // mutation's shows in the books, so the comparison above would have seen one.
    await expect(row.call(everyScope)).resolves.toBeDefined();
    const changed = PROCEDURES[row.path]?._def.type === 'mutation';
    expect(await books()).toEqual(changed ? expect.not.objectContaining(before) : before);
  });
});
