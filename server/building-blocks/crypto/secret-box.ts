import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets we must be able to read back (service keys' HMAC secrets, webhook endpoints' signing secrets)
 * are stored sealed with AES-256-GCM under a server key (SERVICE_KEY_ENCRYPTION_KEY: 32 random bytes,
 * base64 or base64url), never in plain text. A sealed value is `v1.<iv>.<tag>.<ciphertext>` (base64url),
 * authenticated: a value changed in the database, or sealed under another key, does not open.
 */

const VERSION = 'v1';

/** What to tell whoever needs a sealing key that is not there. */
export const SEALING_KEY_MISSING =
  'SERVICE_KEY_ENCRYPTION_KEY is not set: set it to 32 random bytes in base64 (openssl rand -base64 32).';

/** The 32-byte key from its base64/base64url text; throws with what is wrong, for the start-up check. */
export function parseSealingKey(text: string): Buffer {
  const key = Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== 32) {
    throw new Error(
      `must be 32 random bytes in base64 (it decodes to ${key.length}); make one with: openssl rand -base64 32`,
    );
  }
  return key;
}

export function seal(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The plaintext, or null when the value is not sealed under this key (or was altered). */
export function open(key: Buffer, sealed: string): string | null {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}
