import { createHash } from 'node:crypto';

type Scalar = string | number | boolean | null;

/**
 * Fingerprint of an operation and its payload, used to tell a replay (same requestId, same request)
 * from a reuse (same requestId, different request). Keys are sorted, so property order never matters.
 */
export function requestHash(operation: string, payload: Record<string, Scalar | undefined>): string {
  const entries = Object.entries(payload)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([operation, entries]))
    .digest('hex');
}
