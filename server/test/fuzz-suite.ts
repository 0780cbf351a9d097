import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../building-blocks/auth/auth.repository';
import { signSessionToken } from '../building-blocks/auth/session-token';
import { SERVICE_SCOPES } from '../building-blocks/service-auth/scopes';
import { signRequest } from '../building-blocks/service-auth/signature';
import { createServiceKey } from '../use-cases/service/service-keys';
import { createTestDatabase, type TestDatabase } from './database';
import { createCourse, signedInCaller, TEST_AUTH, TEST_SEALING_KEY } from './fixtures';
import {
  callProbes,
  envelopeText,
  extraHeaders,
  type FuzzedProcedure,
  junkText,
  oddPaths,
  queryEncode,
  webhookProbes,
} from './fuzz-inputs';
import {
  type Expectation,
  expectationOf,
  INTERNAL_TEXT,
  inputFields,
  type Probe,
  procedurePaths,
  procedures,
  webhookAccepted,
} from './fuzz-oracle';
import { startTestHttpServer } from './http-server';

/**
 * The fuzz suite (server/entry-points/http/fuzz.test.ts runs it). Issue 9, "every bad input is a clean refusal": property-based fuzzing (fast-check) of every tRPC
 * procedure (enumerated from the router, so a new one is fuzzed without more code) and of the Toss
 * webhook receiver, over real HTTP through our own edge, as an anonymous caller, a learner, an admin,
 * a caller with a forged token and another service (each request signed with a key of every scope). Each procedure gets RUNS_PER_PROCEDURE groups of GROUP single calls
 * (wrong types, missing and extra fields, broken superjson, broken JSON, bytes, methods, content types,
 * query strings); then batches of odd paths mix them all; then webhook deliveries.
 *
 * For every answer: no 5xx, no internal text (stack frames, runtime, parser or database errors), and a
 * malformed call is an error answer. After every group of requests, sent together, the money and user
 * tables are unchanged (row counts, plus each wallet's balance and each order's state).
 *
 * Why "unchanged" can be asserted at all: some procedures write when their input is valid (sign-up
 * creates a user, sign-in a session, wallet.charge money, payment.fail an order's state). So every
 * generated call is checked against the procedure's own input schema, read the way the edge and tRPC
 * read it (server/test/fuzz-oracle.ts), and a mutation's call that the schema would accept is never
 * sent: only malformed input is, and it must be refused before it can write. Queries write nothing, so
 * their odd but valid calls are sent too. Procedures without input ignore what they are sent and run:
 * none of them writes, once the wallets exist (wallet.get creates one on first read, so the setup reads
 * them), except auth.signOut, which deletes its own session. A learner's or admin's sign-out is
 * therefore sent with a throwaway session of theirs, left out of the count.
 */

export function fuzzSuite() {
  const GROUP = 12;
  const RUNS_PER_PROCEDURE = 25;

  let t: TestDatabase;
  let server: Awaited<ReturnType<typeof startTestHttpServer>>;
  let sql: pg.Client;
  let learner: Awaited<ReturnType<typeof signedInCaller>>;
  let admin: Awaited<ReturnType<typeof signedInCaller>>;
  let serviceKey: { keyId: string; secret: string };
  let plausibleValues: Record<string, unknown[]>;
  const throwawaySessions: string[] = [];
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    t = await createTestDatabase();
    server = await startTestHttpServer(t.db);
    sql = new pg.Client({ connectionString: t.url });
    await sql.connect();
    learner = await signedInCaller(t.db, 'fuzz-learner');
    admin = await signedInCaller(t.db, 'fuzz-admin', { admin: true });
    // Real ids in otherwise malformed inputs: a schema that let one through would act on real rows.
    const course = await createCourse(t.db, 10_000);
    await learner.caller.wallet.charge({ amount: 50_000, requestId: randomUUID() });
    const paid = await learner.caller.wallet.pay({ courseId: course.id, requestId: randomUUID() });
    const card = await learner.caller.order.create({ type: 'CHARGE', amount: 5_000 });
    await admin.caller.wallet.get();
    serviceKey = await createServiceKey(t.db, TEST_SEALING_KEY, {
      name: 'fuzz',
      scopes: [...SERVICE_SCOPES],
    });
    plausibleValues = {
      userId: [learner.user.id, randomUUID()],
      userEmail: [learner.user.email, 'nobody@example.com'],
      reference: ['course-ref-1'],
      title: ['A course'],
      description: [''],
      price: [10_000],
      email: [learner.user.email, 'new-learner@example.com'],
      password: ['password-1234'],
      name: ['Fuzz'],
      amount: [1_000, 5_000],
      requestId: [randomUUID()],
      courseId: [course.id],
      orderId: [paid.orderId, card.orderId, 'nobody-order-1'],
      paymentKey: ['tgen_fuzz_payment_key'],
      type: ['COURSE', 'CHARGE'],
      limit: [1, 10, 100],
      cursor: [null, randomUUID()],
      code: ['PAY_PROCESS_CANCELED'],
      message: ['canceled by the shopper'],
      reason: ['changed my mind'],
      from: ['2026-01-01', '2000-01-01', '2099-12-01', '2024-02-29'],
      to: ['2026-01-31', '2000-12-31', '2099-12-31', '2024-03-01'],
    };
  });

  afterAll(async () => {
    // Recorded webhook deliveries are processed in the background: let them finish first.
    for (let i = 0; i < 50; i++) {
      const pending = await sql.query('SELECT 1 FROM webhook_delivery WHERE processed_at IS NULL LIMIT 1');
      if (pending.rowCount === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await sql.end();
    await server.close();
    await t.drop();
  });

  const plausible = (field: string) => fc.constantFrom(...(plausibleValues[field] ?? ['x', 1, randomUUID()]));

  const fuzzed = (path: string): FuzzedProcedure => ({
    path,
    type: procedures[path]?._def.type ?? 'query',
    fields: inputFields(path),
  });

  /** The money and user tables, and each wallet's balance and order's state, as one comparable row. */
  async function snapshot() {
    const { rows } = await sql.query(
      `SELECT
       (SELECT count(*) FROM users)::int AS users,
       (SELECT count(*) FROM session WHERE NOT (id = ANY($1::uuid[])))::int AS sessions,
       (SELECT count(*) || '/' || coalesce(sum(points), 0) FROM auth_rate_limit) AS sign_in_attempts,
       (SELECT count(*) || ':' || coalesce(md5(string_agg(id::text || '=' || balance, ',' ORDER BY id)), '')
          FROM wallet) AS wallets,
       (SELECT count(*) FROM wallet_transaction)::int AS ledger,
       (SELECT count(*) FROM idempotency_key)::int AS idempotency_keys,
       (SELECT count(*) || ':' || coalesce(md5(string_agg(id || '=' || status::text || '/' || refunded_amount
          || '/' || coalesce(payment_key, '') || '/' || coalesce(failure_code, ''), ',' ORDER BY id)), '')
          FROM orders) AS orders,
       (SELECT count(*) FROM payment)::int AS payments,
       (SELECT count(*) FROM refund)::int AS refunds,
       (SELECT count(*) FROM enrollment)::int AS enrollments,
       (SELECT count(*) FROM webhook_delivery)::int AS webhook_deliveries,
       (SELECT count(*) || ':' || coalesce(md5(string_agg(id::text || '=' || price || '/' || title
          || '/' || coalesce(retired_at::text, ''), ',' ORDER BY id)), '') FROM course) AS courses,
       (SELECT count(*) FROM service_request)::int AS service_requests`,
      [throwawaySessions],
    );
    return rows[0] as Record<string, number | string>;
  }

  type Role = 'anonymous' | 'learner' | 'admin' | 'forged' | 'service';

  /**
   * Who calls: a learner's or admin's procedure is called as before (mostly by a learner or an admin,
   * so that calls get past the auth checks to the input schema); a service.* procedure mostly by another
   * service; a batch by anyone, services included.
   */
  type Audience = 'people' | 'services' | 'anyone';
  const rolesFor = (audience: Audience) => {
    const forged = fc
      .constantFrom(
        'not-a-token',
        'x'.repeat(3_000),
        'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
        'a.b.c',
        '.',
        ' ',
      )
      .map((token) => ({ role: 'forged' as Role, forged: token }));
    const people = audience === 'services' ? 1 : 3;
    const services = { people: 0, services: 6, anyone: 1 }[audience];
    return fc.oneof(
      { weight: people, arbitrary: fc.constant({ role: 'learner' as Role }) },
      { weight: people, arbitrary: fc.constant({ role: 'admin' as Role }) },
      ...(services ? [{ weight: services, arbitrary: fc.constant({ role: 'service' as Role }) }] : []),
      { weight: 1, arbitrary: fc.constant({ role: 'anonymous' as Role }) },
      { weight: 1, arbitrary: forged },
    );
  };

  /**
   * The caller's credentials as headers. A learner's or admin's sign-out gets a throwaway session of
   * theirs: their main one must survive. A service's request is signed as sent (path and query as the
   * URL parser writes them, the body's bytes as text).
   */
  async function authorization(
    role: Role,
    forged: string | undefined,
    probe: Probe,
  ): Promise<Record<string, string>> {
    if (role === 'anonymous') return {};
    if (role === 'forged') return { authorization: `Bearer ${forged}` };
    if (role === 'service') {
      const url = new URL(probe.target, server.baseUrl);
      return signRequest(serviceKey, {
        method: probe.method,
        pathWithQuery: `${url.pathname}${url.search}`,
        body: probe.body ? Buffer.from(probe.body).toString('utf8') : '',
      });
    }
    const who = role === 'learner' ? learner : admin;
    if (!probe.target.includes('signOut')) return { authorization: `Bearer ${who.token}` };
    const expiresAt = new Date(Date.now() + 3_600_000);
    const session = await createSession(t.db, who.user.id, expiresAt);
    throwawaySessions.push(session.id);
    const token = await signSessionToken(
      { userId: who.user.id, sessionId: session.id },
      expiresAt,
      TEST_AUTH.sessionSecret,
    );
    return { authorization: `Bearer ${token}` };
  }

  interface Answer {
    status: number;
    body: string;
  }

  async function send(probe: Probe, auth: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${server.baseUrl}${probe.target}`, {
      method: probe.method,
      headers: { ...probe.headers, ...auth },
      body: probe.body && new Uint8Array(probe.body),
      redirect: 'manual',
    });
    const answer = { status: response.status, body: await response.text() };
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    return answer;
  }

  function describeExchange(probe: Probe, answer: Answer) {
    const body = probe.body ? Buffer.from(probe.body).toString('utf8').slice(0, 300) : '';
    return `${probe.method} ${probe.target.slice(0, 300)} ${JSON.stringify(probe.headers)} ${JSON.stringify(body)}\n  → ${answer.status} ${answer.body.slice(0, 500)}`;
  }

  /** No 5xx, no internal text, and every malformed call an error. */
  function checkAnswer(probe: Probe, expected: Expectation, answer: Answer) {
    const exchange = describeExchange(probe, answer);
    expect(answer.status, `a 5xx:\n${exchange}`).toBeLessThan(500);
    expect(answer.body.match(INTERNAL_TEXT)?.[0], `internal text leaked:\n${exchange}`).toBeUndefined();
    if (probe.method === 'HEAD' || expected.stream) return;
    if (!expected.batch) {
      if (expected.calls[0] === 'refused')
        expect(answer.status, `not refused:\n${exchange}`).toBeGreaterThanOrEqual(400);
      return;
    }
    if (answer.status >= 400) return;
    const results = JSON.parse(answer.body) as { error?: unknown }[];
    expected.calls.forEach((call, i) => {
      if (call === 'refused') expect(results[i]?.error, `call ${i} not refused:\n${exchange}`).toBeDefined();
    });
  }

  interface Fuzzed {
    role: Role;
    forged?: string;
    probe: Probe;
  }

  /** Sends a group together, then checks every answer and that nothing was written. */
  async function sendGroup(group: Fuzzed[]) {
    const auth = await Promise.all(group.map((g) => authorization(g.role, g.forged, g.probe)));
    const before = await snapshot();
    const answers = await Promise.all(group.map((g, i) => send(g.probe, auth[i])));
    const after = await snapshot();
    group.forEach((g, i) => {
      checkAnswer(g.probe, expectationOf(g.probe), answers[i] as Answer);
    });
    expect(after, 'a malformed call wrote to the database').toEqual(before);
    return answers;
  }

  /**
   * Drops the calls a mutation's schema would accept: those may legitimately write (see above). A query
   * writes nothing, so its valid calls are sent too: odd but valid input must not fail either.
   */
  const harmlessOnly = (probes: fc.Arbitrary<Probe>, audience: Audience): fc.Arbitrary<Fuzzed> =>
    fc
      .tuple(rolesFor(audience), probes, extraHeaders)
      .map(([role, probe, headers]) => ({
        ...role,
        probe: { ...probe, headers: { ...headers, ...probe.headers } },
      }))
      .filter(({ probe }) => {
        const { calls, paths } = expectationOf(probe);
        return calls.every(
          (call, i) => call !== 'accepted' || procedures[paths[i] ?? '']?._def.type === 'query',
        );
      });

  const assertOptions = { numRuns: RUNS_PER_PROCEDURE, endOnFailure: true } as const;

  describe('every procedure refuses malformed input cleanly', () => {
    it.each(procedurePaths)('%s', async (path) => {
      const procedure = fuzzed(path);
      const calls = harmlessOnly(
        callProbes(procedure, plausible),
        path.startsWith('service.') ? 'services' : 'people',
      );
      let schemaRefusals = 0;
      let ran = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(calls, { minLength: GROUP, maxLength: GROUP }), async (group) => {
          for (const answer of await sendGroup(group)) {
            if (answer.status === 400 && answer.body.includes('"issues"')) schemaRefusals += 1;
            if (answer.status === 200) ran += 1;
          }
        }),
        assertOptions,
      );
      // The generators must get past the edge and the auth checks often enough to be worth their time.
      // A procedure whose every field is optional (admin.auditLog: a filter) accepts much of what is
      // generated, so its share of schema refusals is smaller: it measured 18 to 25 of 300 calls.
      if (procedure.fields.length)
        expect(schemaRefusals, 'calls refused by the input schema').toBeGreaterThan(10);
      else expect(ran, 'calls that ran (a procedure without input)').toBeGreaterThan(20);
    });
  });

  describe('batches', () => {
    const batchProbes: fc.Arbitrary<Probe> = fc
      .array(
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...procedurePaths) },
          { weight: 1, arbitrary: oddPaths },
        ),
        { minLength: 1, maxLength: 12 },
      )
      .chain((paths) =>
        fc.tuple(
          fc.constant(paths),
          fc.constantFrom('GET', 'POST'),
          fc.tuple(...paths.map((path) => envelopeText(fuzzed(path), plausible))),
          fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: junkText }),
        ),
      )
      .map(([paths, method, inputs, junk]): Probe => {
        const target = `/api/trpc/${paths.join(',')}?batch=1`;
        const text = junk ?? `{${inputs.map((input, i) => `"${i}":${input}`).join(',')}}`;
        if (method === 'GET') return { method, target: `${target}&input=${queryEncode(text)}`, headers: {} };
        return {
          method,
          target,
          headers: { 'content-type': 'application/json' },
          body: new Uint8Array(Buffer.from(text, 'utf8')),
        };
      });

    it('refuses odd paths, unknown procedures and malformed inputs call by call, writing nothing', async () => {
      const calls = harmlessOnly(batchProbes, 'anyone');
      const property = fc.asyncProperty(fc.array(calls, { minLength: 8, maxLength: 8 }), async (group) => {
        await sendGroup(group);
      });
      await fc.assert(property, { ...assertOptions, numRuns: 40 });
    });
  });

  describe('the Toss webhook receiver', () => {
    it('refuses malformed deliveries with a 4xx and records only well-formed ones', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(webhookProbes, { minLength: GROUP, maxLength: GROUP }), async (probes) => {
          const before = await snapshot();
          const answers = await Promise.all(probes.map((probe) => send(probe)));
          const after = await snapshot();
          let recorded = 0;
          probes.forEach((probe, i) => {
            const answer = answers[i] as Answer;
            const exchange = describeExchange(probe, answer);
            expect(answer.status, `a 5xx:\n${exchange}`).toBeLessThan(500);
            expect(
              answer.body.match(INTERNAL_TEXT)?.[0],
              `internal text leaked:\n${exchange}`,
            ).toBeUndefined();
            if (!webhookAccepted(probe)) {
              expect(answer.status, `not refused:\n${exchange}`).toBeGreaterThanOrEqual(400);
              return;
            }
            expect(answer.status, `a well-formed delivery refused:\n${exchange}`).toBe(200);
            if ((JSON.parse(answer.body) as { duplicate: boolean }).duplicate === false) recorded += 1;
          });
          expect(after, 'a malformed delivery was recorded, or something else written').toEqual({
            ...before,
            webhook_deliveries: Number(before.webhook_deliveries) + recorded,
          });
        }),
        { ...assertOptions, numRuns: 40 },
      );
    });
  });

  describe('after the fuzz', () => {
    it('reached every kind of refusal, and the learner and admin sessions still work', async () => {
      for (const status of [400, 401, 403, 404, 405, 413, 415]) {
        expect(statuses.get(status) ?? 0, `no ${status} answer seen`).toBeGreaterThan(0);
      }
      expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
      for (const who of [learner, admin]) {
        const me = await fetch(`${server.baseUrl}/api/trpc/auth.me`, {
          headers: { authorization: `Bearer ${who.token}` },
        });
        expect((await me.json()).result.data.json).toMatchObject({ id: who.user.id });
      }
    });
  });
}
