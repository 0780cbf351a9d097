import { createHash } from 'node:crypto';

type Scalar = string | number | boolean | null;

/**
 * Fingerprint of an operation and its payload, used to tell a replay (same requestId, same request)
 * from a reuse (same requestId, different request). Keys are sorted, so property order never matters.
 */
export function requestHash(operation: string, payload: Record<string, Scalar | undefined>): string {
  const entries = Object.entries(payload)
    .filter(([, value]) => value !== undefined)
    // An object's keys are never equal, so two of them only ever compare as before or after.
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([operation, entries]))
    .digest('hex');
}
