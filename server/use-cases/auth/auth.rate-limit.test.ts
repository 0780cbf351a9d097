import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKey } from '../../building-blocks/auth/attempt-limits';
import { createDb, type Db } from '../../building-blocks/db/client';
import { createInnerContext } from '../../entry-points/trpc/context';
import { createCaller } from '../../entry-points/trpc/router';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { anonymousCaller, reasonOf, TEST_AUTH, uniqueEmail } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';

type TestServer = Awaited<ReturnType<typeof startTestHttpServer>>;

const PASSWORD = 'password-1234';
/** A low per-address limit, for the servers that test it. */
const LOW_ADDRESS_LIMIT = { ...TEST_AUTH, rateLimitPerAddress: 5 };

let t: TestDatabase;
let server: TestServer;
let lowLimitServer: TestServer;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
  lowLimitServer = await startTestHttpServer(t.db, { auth: LOW_ADDRESS_LIMIT });
});
afterAll(async () => {
  await server.close();
  await lowLimitServer.close();
  await t.drop();
});

// Every loopback address is this machine, so each test calls from its own (127.0.0.x): the per-address
// counts in this file's database then never carry from one test to the next.
let lastAddress = 1;
const newAddress = () => `127.0.0.${++lastAddress}`;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  setCookie: string[] | undefined;
  reason: string | undefined;
  retryAfterSeconds: number | undefined;
  message: string | undefined;
}

/** One tRPC mutation over real HTTP, from the given local address (what the server sees as the client). */
function call(
  base: TestServer,
  procedure: string,
  input: unknown,
  from: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base.baseUrl}/api/trpc/${procedure}`,
      { method: 'POST', localAddress: from, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          const error = JSON.parse(text).error?.json;
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            setCookie: res.headers['set-cookie'],
            reason: error?.data?.reason,
            retryAfterSeconds: error?.data?.retryAfterSeconds,
            message: error?.message,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ json: input }));
  });
}

const signIn = (base: TestServer, email: string, password: string, from: string) =>
  call(base, 'auth.signIn', { email, password }, from);
const signUp = (base: TestServer, email: string, from: string) =>
  call(base, 'auth.signUp', { email, password: PASSWORD, name: 'limited' }, from);

/** A learner made directly (no attempt counted anywhere). */
async function learner(db: Db = t.db) {
  const email = uniqueEmail('limited');
  await anonymousCaller(db).auth.signUp({ email, password: PASSWORD, name: 'limited' });
  return email;
}

function expectTooManyAttempts(answer: Answer) {
  expect(answer).toMatchObject({ status: 429, reason: 'TOO_MANY_ATTEMPTS' });
  const seconds = Number(answer.retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(15 * 60);
  expect(answer.retryAfterSeconds).toBe(seconds);
  expect(answer.message).toMatch(/^Too many attempts\. Try again in \d+ minutes?\.$/);
  expect(answer.setCookie).toBeUndefined();
}

const sessionsOf = (email: string) => t.db.session.count({ where: { user: { email } } });

describe('sign-in limit per account', () => {
  it('after 10 wrong passwords refuses the 11th, even the right one, with 429 and Retry-After; no session', async () => {
    const email = await learner();
    const from = newAddress();
    for (let i = 0; i < 10; i++) {
      expect(await signIn(server, email, 'wrong-password', from)).toMatchObject({
        status: 401,
        reason: 'INVALID_CREDENTIALS',
      });
    }
    const sessionsBefore = await sessionsOf(email);
    expectTooManyAttempts(await signIn(server, email, PASSWORD, from));
    // Per account, not per address: the account is refused from anywhere, another account is not.
    expectTooManyAttempts(await signIn(server, email, PASSWORD, newAddress()));
    expect(await sessionsOf(email)).toBe(sessionsBefore);
    expect((await signIn(server, await learner(), PASSWORD, from)).status).toBe(200);
  });

  it('locks unknown emails alike (a lock reveals nothing) and opens again when the window ends', async () => {
    const nobody = uniqueEmail('nobody');
    const email = await learner();
    const from = newAddress();
    for (let i = 0; i < 10; i++) {
      expect((await signIn(server, nobody, PASSWORD, from)).status).toBe(401);
      expect((await signIn(server, email, 'wrong-password', from)).status).toBe(401);
    }
    expectTooManyAttempts(await signIn(server, nobody, PASSWORD, from));
    expectTooManyAttempts(await signIn(server, email, PASSWORD, from));

    // The window's end, without waiting 15 minutes.
    await t.db.authRateLimit.updateMany({
      where: { key: { startsWith: 'account:' } },
      data: { expire: BigInt(Date.now() - 1) },
    });
    expect((await signIn(server, email, PASSWORD, from)).status).toBe(200);
  });

  it('a successful sign-in clears the failures before it (direct caller: only the account limit applies)', async () => {
    const email = await learner();
    const caller = anonymousCaller(t.db);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) {
        expect(await reasonOf(caller.auth.signIn({ email, password: 'wrong-password' }))).toBe(
          'INVALID_CREDENTIALS',
        );
      }
      expect(await reasonOf(caller.auth.signIn({ email, password: PASSWORD }))).toBe('OK');
    }
    for (let i = 0; i < 10; i++)
      await caller.auth.signIn({ email, password: 'wrong-password' }).catch(() => {});
    expect(await reasonOf(caller.auth.signIn({ email, password: PASSWORD }))).toBe('TOO_MANY_ATTEMPTS');
  });

  it('counts each attempt before the password check, so 20 parallel guesses get 10 checks', async () => {
    const email = await learner();
    const caller = anonymousCaller(t.db);
    const reasons = await Promise.all(
      Array.from({ length: 20 }, () => reasonOf(caller.auth.signIn({ email, password: 'wrong-password' }))),
    );
    expect(reasons.filter((r) => r === 'INVALID_CREDENTIALS')).toHaveLength(10);
    expect(reasons.filter((r) => r === 'TOO_MANY_ATTEMPTS')).toHaveLength(10);
  });
});

describe('limit per client address', () => {
  it('counts sign-ins across different emails, and only from that address', async () => {
    const from = newAddress();
    for (let i = 0; i < 5; i++) {
      expect((await signIn(lowLimitServer, uniqueEmail('guess'), PASSWORD, from)).status).toBe(401);
    }
    const email = await learner();
    expectTooManyAttempts(await signIn(lowLimitServer, email, PASSWORD, from));
    expect(await sessionsOf(email)).toBe(1); // its sign-up's
    expect((await signIn(lowLimitServer, email, PASSWORD, newAddress())).status).toBe(200);
  });

  it('counts sign-ups with sign-ins; a refused sign-up creates no account', async () => {
    const from = newAddress();
    for (let i = 0; i < 3; i++) expect((await signUp(lowLimitServer, uniqueEmail(), from)).status).toBe(200);
    const email = await learner();
    expect((await signIn(lowLimitServer, email, PASSWORD, from)).status).toBe(200);
    expect((await signIn(lowLimitServer, email, PASSWORD, from)).status).toBe(200);

    const refused = uniqueEmail('refused');
    expectTooManyAttempts(await signUp(lowLimitServer, refused, from));
    expect(await t.db.user.count({ where: { email: refused } })).toBe(0);
    expectTooManyAttempts(await signIn(lowLimitServer, email, PASSWORD, from));
    expect((await signUp(lowLimitServer, refused, newAddress())).status).toBe(200);
  });

  it('does not apply to a direct caller, which has no address', async () => {
    const caller = createCaller(createInnerContext({ db: t.db, auth: LOW_ADDRESS_LIMIT }));
    for (let i = 0; i < 8; i++) {
      expect(
        await reasonOf(caller.auth.signUp({ email: uniqueEmail(), password: PASSWORD, name: 'direct' })),
      ).toBe('OK');
    }
  });
});

describe('behind our own proxy (TRUST_PROXY_HOPS)', () => {
  it('limits the address the proxy saw, not the proxy, and never trusts what the client wrote', async () => {
    const proxied = await startTestHttpServer(t.db, { auth: LOW_ADDRESS_LIMIT, trustProxyHops: 1 });
    try {
      const proxy = newAddress(); // every request reaches the app from the proxy's address
      const as = (client: string, claimed = '') => ({ 'x-forwarded-for': `${claimed}${client}` });
      const attempt = (headers: Record<string, string>) =>
        call(proxied, 'auth.signIn', { email: uniqueEmail('p'), password: 'wrong' }, proxy, headers);
      for (let i = 0; i < 5; i++) expect((await attempt(as('203.0.113.7'))).status).toBe(401);
      expect(await attempt(as('203.0.113.7'))).toMatchObject({ status: 429, reason: 'TOO_MANY_ATTEMPTS' });
      // Another client behind the same proxy is not blocked...
      expect((await attempt(as('203.0.113.8'))).status).toBe(401);
      // ...and the blocked one cannot escape by writing another address in front of the proxy's entry.
      expect((await attempt(as('203.0.113.7', '198.51.100.1, '))).status).toBe(429);
    } finally {
      await proxied.close();
    }
  });

  it('ignores X-Forwarded-For without it: a client cannot pick its own address', async () => {
    const from = newAddress();
    for (let i = 0; i < 5; i++) {
      await call(lowLimitServer, 'auth.signIn', { email: uniqueEmail('p'), password: 'x' }, from, {
        'x-forwarded-for': `198.51.100.${i}`,
      });
    }
    const answer = await call(
      lowLimitServer,
      'auth.signIn',
      { email: uniqueEmail('p'), password: 'x' },
      from,
      {
        'x-forwarded-for': '198.51.100.99',
      },
    );
    expect(answer).toMatchObject({ status: 429, reason: 'TOO_MANY_ATTEMPTS' });
  });
});

describe('two app instances on one database', () => {
  let other: TestServer;
  let otherLowLimit: TestServer;
  let otherDb: Db;
  beforeAll(async () => {
    // Their own connection pool, as another process would have: only the database is shared.
    otherDb = createDb(t.url, 3);
    other = await startTestHttpServer(otherDb);
    otherLowLimit = await startTestHttpServer(otherDb, { auth: LOW_ADDRESS_LIMIT });
  });
  afterAll(async () => {
    await other.close();
    await otherLowLimit.close();
    await otherDb.$disconnect();
  });

  it('share the per-account count', async () => {
    const email = await learner();
    const from = newAddress();
    for (let i = 0; i < 10; i++) {
      expect((await signIn(i % 2 ? server : other, email, 'wrong-password', from)).status).toBe(401);
    }
    expectTooManyAttempts(await signIn(other, email, PASSWORD, from));
    expectTooManyAttempts(await signIn(server, email, PASSWORD, from));
  });

  it('share the per-address count', async () => {
    const from = newAddress();
    for (let i = 0; i < 5; i++) {
      const instance = i % 2 ? lowLimitServer : otherLowLimit;
      expect((await signIn(instance, uniqueEmail('guess'), PASSWORD, from)).status).toBe(401);
    }
    expectTooManyAttempts(await signUp(lowLimitServer, uniqueEmail(), from));
    expectTooManyAttempts(await signUp(otherLowLimit, uniqueEmail(), from));
  });
});

describe('addressKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b:1::192.0.2.1', '64:ff9b:1:0::/64'],
  ])('counts %s as %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});
