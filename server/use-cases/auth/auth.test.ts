import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSessionToken } from '../../building-blocks/auth/session-token';
import { createInnerContext } from '../../entry-points/trpc/context';
import { createCaller } from '../../entry-points/trpc/router';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { anonymousCaller, reasonOf, signedInCaller, TEST_AUTH, uniqueEmail } from '../../test/fixtures';
import { authenticate } from './auth.service';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('auth', () => {
  it('signs up, stores only a scrypt hash and returns a token that authenticates the user', async () => {
    const email = uniqueEmail();
    const { user, token } = await anonymousCaller(t.db).auth.signUp({
      email,
      password: 'password-1234',
      name: '김학생',
    });
    expect(user).toMatchObject({ email, name: '김학생' });
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain('password-1234');
    expect((await authenticate(t.db, TEST_AUTH, token))?.user.id).toBe(user.id);
  });

  it('treats emails case-insensitively: sign-up with another case is EMAIL_TAKEN, sign-in works', async () => {
    const email = uniqueEmail('Case');
    await anonymousCaller(t.db).auth.signUp({ email, password: 'password-1234', name: 'a' });
    expect(
      await reasonOf(
        anonymousCaller(t.db).auth.signUp({
          email: email.toUpperCase(),
          password: 'password-1234',
          name: 'b',
        }),
      ),
    ).toBe('EMAIL_TAKEN');
    const signedIn = await anonymousCaller(t.db).auth.signIn({
      email: ` ${email.toUpperCase()} `,
      password: 'password-1234',
    });
    expect(signedIn.user.email).toBe(email.toLowerCase());
  });

  it('refuses a wrong password or unknown email with INVALID_CREDENTIALS', async () => {
    const email = uniqueEmail();
    await anonymousCaller(t.db).auth.signUp({ email, password: 'password-1234', name: 'a' });
    expect(await reasonOf(anonymousCaller(t.db).auth.signIn({ email, password: 'wrong-password' }))).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(
      await reasonOf(
        anonymousCaller(t.db).auth.signIn({ email: uniqueEmail('nobody'), password: 'password-1234' }),
      ),
    ).toBe('INVALID_CREDENTIALS');
  });

  it.each([
    ['a bad email', { email: 'not-an-email', password: 'password-1234', name: 'a' }],
    ['a short password', { email: 'x@example.com', password: 'short', name: 'a' }],
    ['an empty name', { email: 'x@example.com', password: 'password-1234', name: ' ' }],
  ])('refuses sign-up with %s as BAD_REQUEST', async (_label, input) => {
    expect(await reasonOf(anonymousCaller(t.db).auth.signUp(input))).toBe('INVALID_INPUT');
  });

  it('refuses forged, tampered, expired and signed-out tokens', async () => {
    const { user, token } = await anonymousCaller(t.db).auth.signUp({
      email: uniqueEmail(),
      password: 'password-1234',
      name: 'a',
    });
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${signature?.slice(0, -2)}xx`;
    const session = await authenticate(t.db, TEST_AUTH, token);
    if (!session) throw new Error('valid token rejected');
    // Same user, same live session: only the signing key differs.
    const forged = await signSessionToken(
      { userId: user.id, sessionId: session.sessionId },
      new Date(Date.now() + 60_000),
      'another-secret-that-is-long-enough-to-sign',
    );
    const expired = await signSessionToken(
      { userId: user.id, sessionId: session.sessionId },
      new Date(Date.now() - 1000),
      TEST_AUTH.sessionSecret,
    );

    expect(await authenticate(t.db, TEST_AUTH, forged)).toBeNull();
    expect(await authenticate(t.db, TEST_AUTH, tampered)).toBeNull();
    expect(await authenticate(t.db, TEST_AUTH, expired)).toBeNull();
    expect(await authenticate(t.db, TEST_AUTH, 'garbage')).toBeNull();

    const caller = createCaller(
      createInnerContext({ db: t.db, auth: TEST_AUTH, user: session.user, sessionId: session.sessionId }),
    );
    await caller.auth.signOut();
    expect(await authenticate(t.db, TEST_AUTH, token)).toBeNull();
  });

  it('me() is null for anonymous callers and the user when signed in', async () => {
    expect(await anonymousCaller(t.db).auth.me()).toBeNull();
    const { caller, user } = await signedInCaller(t.db);
    expect(await caller.auth.me()).toMatchObject({ id: user.id, email: user.email });
  });
});
