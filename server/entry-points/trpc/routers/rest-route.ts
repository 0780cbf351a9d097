import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';

/**
 * Where a service procedure is also served as REST under /api/v1 (its `openapi` meta), with the headers
 * every such request carries documented once: the X-Pay-* signature (README "Service API") and, on a
 * mutation, the Idempotency-Key that becomes the procedure's `requestId`
 * (server/entry-points/http/rest-api.ts moves it there; docs/openapi.json leaves `requestId` out of the bodies).
 */

const signedHeaders = {
  'x-pay-key-id': z.string().meta({ description: 'The service key id, pk_…' }),
  'x-pay-timestamp': z.string().meta({ description: 'Unix seconds when the request was signed (±300 s).' }),
  'x-pay-nonce': z
    .string()
    .meta({ description: '8–128 of [A-Za-z0-9_-], never sent twice with the same key.' }),
  'x-pay-signature': z.string().meta({
    description:
      'v1=<base64 HMAC-SHA256 with the key secret> of METHOD, path with query, timestamp, nonce and the hex SHA-256 of the body, one per line. Computed per request: a generated client needs a signing hook.',
  }),
};

const idempotentHeaders = {
  ...signedHeaders,
  'idempotency-key': z.string().meta({
    description:
      '1 to 128 of A-Z a-z 0-9 . _ : ~ -, new for each change: the same key with the same request replays the first answer; with another request it is refused (409). Not part of the signature: send it over TLS.',
  }),
};

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

type Method = NonNullable<OpenApiMeta['openapi']>['method'];

/** The `openapi` meta of a service procedure: a read, or a mutation that takes an Idempotency-Key. */
export function rest(method: Method, path: `/${string}`, summary: string, tag: string) {
  return {
    method,
    path,
    summary,
    tags: [tag],
    requestHeaders: z.object(method === 'GET' ? signedHeaders : idempotentHeaders),
    errorResponses: {
      400: 'The input is invalid: `issues` names each field.',
      401: 'The signature is missing, stale, replayed or wrong, or the key is unknown or revoked.',
      403: 'The key lacks the scope this operation needs.',
      404: 'No such order, user, course or endpoint.',
      409: 'The Idempotency-Key was used with another request, or another change is in progress.',
      412: 'The state forbids it (already purchased, refund exceeds payment, course retired, …): see `reason`.',
      413: 'The body is larger than 64 KB.',
      415: 'A body must be application/json.',
      429: 'Too many requests; see Retry-After.',
      500: 'Our fault: nothing was applied twice; retry with the same Idempotency-Key.',
    },
  } satisfies OpenApiMeta['openapi'];
}
