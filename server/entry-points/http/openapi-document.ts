import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { appRouter } from '../trpc/router';
import { IDEMPOTENCY_KEY_HEADER } from '../trpc/routers/rest-route';

/**
 * The OpenAPI document of /api/v1, generated from the service procedures' `openapi` meta (one source:
 * the tRPC procedures and their zod schemas). Served at /api/v1/openapi.json and committed as
 * docs/openapi.json; `npm run openapi` rewrites the file, and a test fails when the two differ.
 * Two touches after generation, to say what the REST edge does (rest-api.ts):
 * - a mutation's idempotency key travels in the Idempotency-Key header, so `requestId` is not in its body;
 * - every error has one shape, `RestError`.
 */

export const restErrorSchema = z.object({
  code: z
    .string()
    .meta({ description: 'The HTTP meaning: BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, CONFLICT, …' }),
  reason: z.string().meta({
    description:
      'Why, precisely: INVALID_INPUT, SIGNATURE_INVALID, SIGNATURE_EXPIRED, NONCE_REUSED, SCOPE_MISSING, ORDER_NOT_FOUND, IDEMPOTENCY_KEY_REUSED, ALREADY_PURCHASED, …',
  }),
  message: z.string().meta({ description: 'For a person reading logs (English).' }),
  issues: z
    .array(z.object({ path: z.string(), message: z.string(), messageKo: z.string() }))
    .optional()
    .meta({ description: 'INVALID_INPUT only: each bad field, in English and Korean.' }),
  retryAfterSeconds: z
    .number()
    .int()
    .optional()
    .meta({ description: 'When to try again (also Retry-After).' }),
});

const SIGNING = [
  'Every request is signed with a service key (`npm run service-key -- create`). The signing string is',
  'five lines joined by "\\n": the method upper-case, the path with its query as a WHATWG URL parser',
  "normalises them (as sent when percent-encoded, e.g. `/api/v1/orders/ord_1?x=1`; a raw `'` in the query",
  'is signed as `%27`), the X-Pay-Timestamp value, the X-Pay-Nonce value, and the hex SHA-256',
  'of the raw body (of the empty string when there is none). X-Pay-Signature is `v1=` and the base64',
  'HMAC-SHA256 of that string with the key secret. The README ("Service API") has a worked example.',
].join(' ');

export function buildOpenApiDocument(): OpenAPIObject {
  const document = generateOpenApiDocument(appRouter, {
    title: 'Course payments: service API',
    version: '1',
    description: [
      'What another service of the platform may do with a service key: open and read orders, refund,',
      'read a learner’s wallet, keep the catalogue in sync, and subscribe to our signed events.',
      'Bodies are plain JSON; times are ISO 8601 strings; amounts are whole won.',
      SIGNING,
    ].join(' '),
    baseUrl: '/api/v1',
    securitySchemes: {
      ServiceSignature: { type: 'apiKey', in: 'header', name: 'X-Pay-Signature', description: SIGNING },
    },
  });
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      const takesKey = operation?.parameters?.some((p) => 'name' in p && p.name === IDEMPOTENCY_KEY_HEADER);
      const body = operation?.requestBody;
      if (!takesKey || !body || !('content' in body)) continue;
      const schema = body.content['application/json']?.schema;
      if (schema && 'properties' in schema && schema.properties) {
        delete schema.properties.requestId;
        schema.required = schema.required?.filter((name) => name !== 'requestId');
      }
    }
  }
  const { $schema: _, ...errorJson } = z.toJSONSchema(restErrorSchema) as Record<string, unknown>;
  const schemas = document.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) {
    if (name.startsWith('error.')) {
      schemas[name] = { ...errorJson, title: `RestError (${name.slice('error.'.length)})` };
    }
  }
  return document;
}
