import { env } from '../env';
import { parseSealingKey } from './secret-box';

export { SEALING_KEY_MISSING } from './secret-box';

/** SERVICE_KEY_ENCRYPTION_KEY as a key, or null when it is not set (service keys and endpoints are then off). */
export function sealingKey(): Buffer | null {
  const text = env().SERVICE_KEY_ENCRYPTION_KEY;
  return text ? parseSealingKey(text) : null;
}
