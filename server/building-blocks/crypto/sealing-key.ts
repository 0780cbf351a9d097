import { env } from '../env';
import { parseSealingKey } from './secret-box';

/** SERVICE_KEY_ENCRYPTION_KEY as a key, or null when it is not set (service keys and endpoints are then off). */
export function sealingKey(): Buffer | null {
  const text = env().SERVICE_KEY_ENCRYPTION_KEY;
  return text ? parseSealingKey(text) : null;
}

/** What to tell whoever needs a sealing key that is not there. */
export const SEALING_KEY_MISSING =
  'SERVICE_KEY_ENCRYPTION_KEY is not set: set it to 32 random bytes in base64 (openssl rand -base64 32).';
