import { describe, expect, it, vi } from 'vitest';
import { DECOY_HASH, hashPassword, verifyPassword } from './password';
import { signSessionToken, verifySessionToken } from './session-token';

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one; salts every hash', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
  });

  it('never accepts anything against the decoy or a malformed hash', async () => {
    expect(await verifyPassword('', DECOY_HASH)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });
});

describe('session tokens', () => {
  const secret = 'a-secret-that-is-long-enough-for-hs256';
  const claims = {
    userId: '0b8e3c52-6f1a-4c1e-9d2b-3a4f5e6d7c8b',
    sessionId: '5f2c7a10-1b3d-4e5f-8a9b-0c1d2e3f4a5b',
  };

  it('round-trips and refuses another secret, tampering and expiry', async () => {
    const token = await signSessionToken(claims, new Date(Date.now() + 60_000), secret);
    expect(await verifySessionToken(token, secret)).toEqual(claims);
    expect(await verifySessionToken(token, `${secret}!`)).toBeNull();
    const [h, p, s] = token.split('.');
    const otherPayload = Buffer.from(
      JSON.stringify({
        sub: '1c8e3c52-6f1a-4c1e-9d2b-3a4f5e6d7c8b',
        sid: claims.sessionId,
        iss: 'course-payments',
      }),
    ).toString('base64url');
    expect(await verifySessionToken(`${h}.${otherPayload}.${s}`, secret)).toBeNull();
    expect(await verifySessionToken(`${h}.${p}.`, secret)).toBeNull();
    // Signed with our secret but naming no real ids (a bug elsewhere, or a leaked secret): refused.
    const odd = await signSessionToken(
      { userId: 'u1', sessionId: 's1' },
      new Date(Date.now() + 60_000),
      secret,
    );
    expect(await verifySessionToken(odd, secret)).toBeNull();
    const expired = await signSessionToken(claims, new Date(Date.now() - 1_000), secret);
    expect(await verifySessionToken(expired, secret)).toBeNull();
  });

  it('stops accepting a verified token at its expiry, though it was verified before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const token = await signSessionToken(claims, new Date(Date.now() + 2_000), secret);
      expect(await verifySessionToken(token, secret)).toEqual(claims);
      expect(await verifySessionToken(token, secret)).toEqual(claims);
      vi.setSystemTime(Date.now() + 3_000);
      expect(await verifySessionToken(token, secret)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', sid: 's1', iss: 'course-payments' })).toString(
      'base64url',
    );
    expect(await verifySessionToken(`${header}.${payload}.`, secret)).toBeNull();
  });
});
