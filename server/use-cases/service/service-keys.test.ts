import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { reasonOf, signedInCaller, TEST_SEALING_KEY } from '../../test/fixtures';

/** Service keys on the admin console: made, listed, rotated and revoked by admins only, each audited. */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('service keys on the admin console', () => {
  it('shows a secret once, never lists it, and audits creation, rotation and revocation', async () => {
    const admin = await signedInCaller(t.db, 'operator', { admin: true, sealingKey: TEST_SEALING_KEY });
    const created = await admin.caller.admin.createServiceKey({
      name: ' course service ',
      scopes: ['orders:write', 'orders:read', 'orders:write'],
    });
    expect(created.secret).toMatch(/^sk_/);
    expect(created.key).toMatchObject({ name: 'course service', scopes: ['orders:write', 'orders:read'] });
    const listed = await admin.caller.admin.serviceKeys();
    expect(listed.map((k) => k.keyId)).toContain(created.keyId);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const rotated = await admin.caller.admin.rotateServiceKey({ keyId: created.keyId, overlapHours: 1 });
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.key.previousValidUntil).not.toBeNull();
    const revoked = await admin.caller.admin.revokeServiceKey({ keyId: created.keyId, reason: 'leaked' });
    expect(revoked.revokedAt).not.toBeNull();
    expect(
      await reasonOf(admin.caller.admin.revokeServiceKey({ keyId: created.keyId, reason: 'again' })),
    ).toBe('SERVICE_KEY_REVOKED');

    const audit = await admin.caller.admin.auditLog({ subject: created.keyId });
    expect(audit.items.map((a) => [a.action, a.adminEmail])).toEqual([
      ['SERVICE_KEY_REVOKE', admin.user.email],
      ['SERVICE_KEY_ROTATE', admin.user.email],
      ['SERVICE_KEY_CREATE', admin.user.email],
    ]);
    expect(JSON.stringify(audit.items)).not.toContain(created.secret);
    expect(JSON.stringify(audit.items)).not.toContain(rotated.secret);
  });

  it('is for admins only, and refused while SERVICE_KEY_ENCRYPTION_KEY is not set', async () => {
    const learner = await signedInCaller(t.db, 'learner', { sealingKey: TEST_SEALING_KEY });
    expect(
      await reasonOf(learner.caller.admin.createServiceKey({ name: 'x', scopes: ['orders:read'] })),
    ).toBe('FORBIDDEN');
    expect(await reasonOf(learner.caller.admin.serviceKeys())).toBe('FORBIDDEN');
    const admin = await signedInCaller(t.db, 'operator', { admin: true });
    const before = await t.db.serviceKey.count();
    expect(await reasonOf(admin.caller.admin.createServiceKey({ name: 'x', scopes: ['orders:read'] }))).toBe(
      'SEALING_KEY_MISSING',
    );
    expect(await reasonOf(admin.caller.admin.createServiceKey({ name: 'x', scopes: [] }))).toBe(
      'INVALID_INPUT',
    );
    expect(await t.db.serviceKey.count()).toBe(before);
  });
});
