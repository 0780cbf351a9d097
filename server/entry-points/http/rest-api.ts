import { createOpenApiFetchHandler } from 'trpc-to-openapi';
import { errorField, logger } from '../../building-blocks/log';
import { createRequestContext, type InnerContextOptions } from '../trpc/context';
import { appRouter } from '../trpc/router';
import { IDEMPOTENCY_KEY_HEADER } from '../trpc/routers/rest-route';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The service API as REST under /api/v1 for callers that are not TypeScript: the same service
 * procedures (their `openapi` meta says where), served by trpc-to-openapi with plain JSON. What this
 * edge adds:
 * - the signature is checked over the raw body and the path as sent, exactly as on /api/trpc;
 * - a mutation's Idempotency-Key header becomes its `requestId` (required; never in the body);
 * - every error is one JSON shape (openapi-document.ts `RestError`): code, reason, message, issues.
 */

export const REST_ENDPOINT = '/api/v1';
export const OPENAPI_PATH = `${REST_ENDPOINT}/openapi.json`;

let openApiJson: string | undefined;

export async function handleRestRequest(request: Request, deps: InnerContextOptions): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === OPENAPI_PATH) {
    openApiJson ??= JSON.stringify(buildOpenApiDocument());
    return new Response(openApiJson, {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
    });
  }
  const raw = request.body ? await request.clone().text() : '';
  const forwarded = withRequestId(request, raw);
  if (forwarded instanceof Response) return forwarded;
  const resHeaders = new Headers();
  const response = await createOpenApiFetchHandler({
    endpoint: REST_ENDPOINT,
    router: appRouter,
    req: forwarded,
    // The signature covers the request as sent: the original path and raw body, not the rewritten one.
    createContext: () => createRequestContext(deps, request, resHeaders, raw),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: errorField(error.cause ?? error), procedure: path ?? '?' }, 'REST call failed');
      }
    },
  });
  return restResponse(response, resHeaders);
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A mutation with its Idempotency-Key moved into the body as `requestId`; or why it cannot be. */
function withRequestId(request: Request, raw: string): Request | Response {
  if (!MUTATING.has(request.method)) return request;
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null || key.trim() === '') {
    return refusal(400, 'BAD_REQUEST', 'INVALID_INPUT', 'Send an Idempotency-Key header with every change.');
  }
  let body: unknown;
  try {
    body = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch {
    return refusal(400, 'BAD_REQUEST', 'INVALID_INPUT', 'The body is not JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refusal(400, 'BAD_REQUEST', 'INVALID_INPUT', 'The body must be a JSON object.');
  }
  if ('requestId' in body) {
    return refusal(
      400,
      'BAD_REQUEST',
      'INVALID_INPUT',
      'Send the idempotency key in the Idempotency-Key header, not as requestId in the body.',
    );
  }
  const headers = new Headers(request.headers);
  headers.delete('content-length');
  return new Request(request.url, {
    method: request.method,
    headers,
    body: JSON.stringify({ ...body, requestId: key }),
  });
}

interface TrpcToOpenApiError {
  code?: string;
  message?: string;
  data?: {
    reason?: string;
    issues?: { path: string; message: string; messageKo: string }[];
    retryAfterSeconds?: number;
  };
}

/** trpc-to-openapi's answer with our headers (Retry-After), and an error reshaped to RestError. */
async function restResponse(response: Response, resHeaders: Headers): Promise<Response> {
  const headers = new Headers(response.headers);
  for (const [name, value] of resHeaders) headers.set(name, value);
  if (response.status < 400) return new Response(response.body, { status: response.status, headers });
  const error = (await response.json().catch(() => ({}))) as TrpcToOpenApiError;
  const issues = error.data?.issues;
  const message = issues
    ? issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
    : (error.message ?? 'The request was refused.');
  const code = error.code ?? 'INTERNAL_SERVER_ERROR';
  const body = {
    code,
    reason: error.data?.reason ?? code,
    message,
    ...(issues ? { issues } : {}),
    ...(error.data?.retryAfterSeconds === undefined
      ? {}
      : { retryAfterSeconds: error.data.retryAfterSeconds }),
  };
  headers.delete('content-length');
  return Response.json(body, { status: response.status, headers });
}

function refusal(status: number, code: string, reason: string, message: string): Response {
  return Response.json({ code, reason, message }, { status });
}

/** The edge's own refusal (body too large, not UTF-8, not JSON), as a RestError. */
export async function restRefusalFrom(refusal: Response): Promise<Response> {
  const { error } = (await refusal.json()) as { error: string };
  const code = refusal.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
  const reason = refusal.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT';
  return Response.json(
    { code, reason, message: error },
    { status: refusal.status, headers: refusal.headers },
  );
}
