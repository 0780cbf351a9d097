import { getErrorShape, getTRPCErrorFromUnknown } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { errorField, logger } from '../../building-blocks/log';
import { createRequestContext, type InnerContextOptions } from '../trpc/context';
import type { ProcedureMeta } from '../trpc/init';
import { appRouter } from '../trpc/router';
import { IDEMPOTENCY_KEY_HEADER } from '../trpc/routers/rest-route';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The service API as REST under /api/v1 for callers that are not TypeScript. Each route is a service
 * procedure's `openapi` meta (the same meta trpc-to-openapi documents in docs/openapi.json), called
 * through the router with its middlewares: the same signature check, scopes, idempotency and errors.
 * The dispatch is ours rather than trpc-to-openapi's handler, which coerces by mutating the procedures'
 * shared zod schemas at request time (after one REST call, /api/trpc would accept "1000" for a number).
 * What this edge adds:
 * - the signature is checked over the raw body and the path as sent, exactly as on /api/trpc;
 * - a mutation's Idempotency-Key header becomes its `requestId` (required; never in the body);
 * - path parameters are percent-decoded; a body or query naming a path parameter again is refused;
 * - every error is one JSON shape (openapi-document.ts `RestError`): code, reason, message, issues.
 */

export const REST_ENDPOINT = '/api/v1';
export const OPENAPI_PATH = `${REST_ENDPOINT}/openapi.json`;

interface Route {
  method: string;
  /** The path template's segments, `{name}` for a parameter. */
  segments: string[];
  procedure: string;
}

let routes: Route[] | undefined;
let openApiJson: string | undefined;

function restRoutes(): Route[] {
  routes ??= Object.entries(appRouter._def.procedures).flatMap(([procedure, value]) => {
    const meta = (value as unknown as { _def: { meta?: ProcedureMeta } })._def.meta?.openapi;
    return meta ? [{ method: meta.method, segments: meta.path.split('/').slice(1), procedure }] : [];
  });
  return routes;
}

/** The route for this method and path, with its decoded path parameters; or what is wrong. */
function match(method: string, path: string): { route: Route; params: Record<string, string> } | Response {
  const segments = path.split('/').slice(1);
  let methodMismatch = false;
  for (const route of restRoutes()) {
    if (route.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = route.segments.every((template, i) => {
      const segment = segments[i] ?? '';
      if (!template.startsWith('{')) return template === segment;
      params[template.slice(1, -1)] = segment;
      return segment !== '';
    });
    if (!fits) continue;
    if (route.method !== method) {
      methodMismatch = true;
      continue;
    }
    try {
      for (const [name, value] of Object.entries(params)) params[name] = decodeURIComponent(value);
    } catch {
      return refusal(400, 'BAD_REQUEST', 'INVALID_INPUT', 'A path parameter is not valid percent-encoding.');
    }
    return { route, params };
  }
  return methodMismatch
    ? refusal(405, 'METHOD_NOT_SUPPORTED', 'METHOD_NOT_SUPPORTED', `${method} is not allowed here.`)
    : refusal(404, 'NOT_FOUND', 'NOT_FOUND', 'No such path in this API: see /api/v1/openapi.json.');
}

export async function handleRestRequest(request: Request, deps: InnerContextOptions): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === OPENAPI_PATH && request.method === 'GET') {
    openApiJson ??= JSON.stringify(buildOpenApiDocument());
    return new Response(openApiJson, {
      headers: { 'content-type': 'application/json', 'cache-control': 'no-cache' },
    });
  }
  const matched = match(request.method, url.pathname.slice(REST_ENDPOINT.length));
  if (matched instanceof Response) return matched;
  const { route, params } = matched;
  const raw = request.body ? await request.text() : '';
  const input = route.method === 'GET' ? queryInput(url, params) : bodyInput(request, raw, params);
  if (input instanceof Response) return input;

  const resHeaders = new Headers();
  const ctx = await createRequestContext(deps, request, resHeaders, raw);
  const type = route.method === 'GET' ? 'query' : 'mutation';
  try {
    const call = route.procedure
      .split('.')
      .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], appRouter.createCaller(ctx)) as (
      input: unknown,
    ) => Promise<unknown>;
    const data = await call(input);
    return Response.json(data, { headers: resHeaders });
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      logger.error({ err: errorField(error.cause ?? error), procedure: route.procedure }, 'REST call failed');
    }
    const shape = getErrorShape({
      config: appRouter._def._config,
      error,
      type,
      path: route.procedure,
      input,
      ctx,
    }) as { message: string; data: TrpcErrorData };
    return Response.json(restError(error.code, shape.message, shape.data), {
      status: getHTTPStatusCodeFromError(error),
      headers: resHeaders,
    });
  }
}

/** A GET's input: its query (each name once) and its path parameters. */
function queryInput(url: URL, params: Record<string, string>): Record<string, unknown> | Response {
  const input: Record<string, unknown> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    if (Object.hasOwn(input, name) || Object.hasOwn(params, name)) {
      return refusal(
        400,
        'BAD_REQUEST',
        'INVALID_INPUT',
        `The query names ${name.slice(0, 40)} more than once.`,
      );
    }
    input[name] = value;
  }
  return { ...input, ...params };
}

/** An Idempotency-Key: one value, of characters that cannot join two keys into one. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:~-]{1,128}$/;

/** A change's input: its JSON body, its path parameters, and its Idempotency-Key as `requestId`. */
function bodyInput(request: Request, raw: string, params: Record<string, string>) {
  const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
  if (key === null || !IDEMPOTENCY_KEY.test(key)) {
    return refusal(
      400,
      'BAD_REQUEST',
      'INVALID_INPUT',
      'Send one Idempotency-Key header with every change: 1 to 128 of A-Z a-z 0-9 . _ : ~ -.',
    );
  }
  let body: unknown = {};
  if (raw.trim() !== '') {
    const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'INVALID_INPUT', 'Send the body as application/json.');
    }
    try {
      body = JSON.parse(raw);
    } catch {
      return refusal(400, 'BAD_REQUEST', 'INVALID_INPUT', 'The body is not JSON.');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refusal(400, 'BAD_REQUEST', 'INVALID_INPUT', 'The body must be a JSON object.');
  }
  if (Object.hasOwn(body, 'requestId')) {
    return refusal(
      400,
      'BAD_REQUEST',
      'INVALID_INPUT',
      'Send the idempotency key in the Idempotency-Key header, not as requestId in the body.',
    );
  }
  const repeated = Object.keys(params).find((name) => Object.hasOwn(body, name));
  if (repeated) {
    return refusal(
      400,
      'BAD_REQUEST',
      'INVALID_INPUT',
      `${repeated} is in the path; leave it out of the body.`,
    );
  }
  return { ...body, ...params, requestId: key };
}

interface TrpcErrorData {
  reason?: string;
  issues?: { path: string; message: string; messageKo: string }[];
  retryAfterSeconds?: number;
}

function restError(code: string, message: string, data: TrpcErrorData | undefined) {
  const issues = data?.issues;
  return {
    code,
    reason: data?.reason ?? code,
    message,
    ...(issues ? { issues } : {}),
    ...(data?.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: data.retryAfterSeconds }),
  };
}

function refusal(status: number, code: string, reason: string, message: string): Response {
  return Response.json({ code, reason, message }, { status });
}

/** The edge's own refusal (body too large, not UTF-8, not JSON), as a RestError. */
export async function restRefusalFrom(edgeRefusal: Response): Promise<Response> {
  const { error } = (await edgeRefusal.json()) as { error: string };
  const tooLarge = edgeRefusal.status === 413;
  return refusal(
    edgeRefusal.status,
    tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
    tooLarge ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT',
    error,
  );
}
