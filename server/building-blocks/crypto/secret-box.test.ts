import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, parseSealingKey, seal } from './secret-box';

const key = randomBytes(32);

describe('secret-box', () => {
  it('opens what it sealed, and each seal of the same secret differs', () => {
    const a = seal(key, 'whsec_secret-value');
    const b = seal(key, 'whsec_secret-value');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-value');
    expect(open(key, a)).toBe('whsec_secret-value');
    expect(open(key, b)).toBe('whsec_secret-value');
  });

  it('refuses a value altered in storage or sealed under another key', () => {
    const sealed = seal(key, 'secret');
    const parts = sealed.split('.');
    const ciphertext = Buffer.from(parts[3] ?? '', 'base64url');
    ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
    expect(open(key, [...parts.slice(0, 3), ciphertext.toString('base64url')].join('.'))).toBeNull();
    expect(open(randomBytes(32), sealed)).toBeNull();
    expect(open(key, 'not-sealed')).toBeNull();
  });

  it('takes a 32-byte key in base64 or base64url, and says what is wrong with anything else', () => {
    const bytes = randomBytes(32);
    expect(parseSealingKey(bytes.toString('base64')).equals(bytes)).toBe(true);
    expect(parseSealingKey(bytes.toString('base64url')).equals(bytes)).toBe(true);
    expect(() => parseSealingKey('c2hvcnQ=')).toThrow(
      /32 random bytes.*decodes to 5.*openssl rand -base64 32/,
    );
  });
});
