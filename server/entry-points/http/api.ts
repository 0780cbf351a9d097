import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../building-blocks/db/client';
import { errorField, logger } from '../../building-blocks/log';
import { webhookLag } from '../../building-blocks/metrics';
import type { TossClient } from '../../building-blocks/toss/toss-client';
import { SANDBOX_WIDGET_SCRIPT, type TossMode } from '../../building-blocks/toss/toss-config';
import { findDelivery } from '../../building-blocks/webhook/webhook-delivery.repository';
import type { AuthConfig } from '../../use-cases/auth/auth.service';
import { processDelivery } from '../../use-cases/webhook/process-webhook';
import { MAX_BATCH_CALLS } from '../trpc/batch-limit';
import { handleTrpcRequest, TRPC_ENDPOINT } from '../trpc/http-handler';
import { checkHealth } from './health';
import { serveMetrics } from './metrics-endpoint';
import { BodyRefused, checkJsonText, readBody } from './request-body';
import { handleRestRequest, REST_ENDPOINT, restRefusalFrom } from './rest-api';
import { cameOverHttps } from './security-headers';
import { receiveTossWebhook } from './toss-webhook-receiver';

/**
 * Our own HTTP layer for everything under /api (and the sandbox widget's script): tRPC, Toss
 * webhooks, health and, in sandbox mode only, the offline Toss. It calls the handlers directly rather
 * than through Next.js's route runtime, which costs more than the work of most requests (see the
 * README's benchmark), and it is where the limits live: bodies are read here, at most LIMITS bytes,
 * and checked once before any handler parses them.
 */

export const LIMITS = {
  /** Bytes of a tRPC request body (a batch of mutations is a few hundred bytes). */
  trpcBody: 64 * 1024,
  /** Bytes of a webhook delivery (Toss's payloads are a few KB). */
  webhookBody: 256 * 1024,
  sandboxBody: 64 * 1024,
  /** Calls in one tRPC batch: more is 400 before any of them runs. */
  trpcBatch: MAX_BATCH_CALLS,
} as const;

export interface ApiDeps {
  db: Db;
  auth: AuthConfig;
  /** The app's Toss client (the real API, or the sandbox over HTTP). */
  toss: TossClient;
  waitForConfirmMs: number;
  /** A CONFIRMING order older than this is considered abandoned (webhook processing, the janitor). */
  staleConfirmingMs: number;
  /** The offline Toss, or null in real mode: then every sandbox path answers 404. */
  sandbox: SandboxEndpoint | null;
  /** Reported by /api/health. */
  mode: TossMode;
  /**
   * SERVICE_KEY_ENCRYPTION_KEY, or null/absent when unset: no webhook endpoint can then be made, and
   * every service's signed request is refused (SEALING_KEY_MISSING).
   */
  sealingKey?: Buffer | null;
  /** Proxies of ours in front of the app (TRUST_PROXY_HOPS): where the client address is read. */
  trustProxyHops?: number;
  /** The bearer token of /api/metrics (METRICS_TOKEN); without it the path answers 404. */
  metricsToken?: string;
  /** PUBLIC_URL: the origin of the links we hand out (checkoutUrl); null: the request's own host. */
  publicUrl?: string | null;
}

/**
 * The offline Toss as this edge sees it (server/sandbox, mounted by server/entry-points/sandbox-mount.ts in
 * sandbox mode): requests under SANDBOX_API, their bodies read and checked here, and its widget script.
 */
export interface SandboxEndpoint {
  handle(request: Request): Promise<Response>;
  widgetScript: string;
}

/** Where the sandbox's API is mounted. */
export const SANDBOX_API = '/api/toss-sandbox';

/** True for the paths this layer answers; everything else is a page, for Next.js. */
export function isApiPath(pathname: string): boolean {
  return pathname.startsWith('/api/') || pathname === '/api' || pathname === SANDBOX_WIDGET_SCRIPT;
}

export function createApiHandler(deps: ApiDeps) {
  return async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Read now: a client that resets after sending its body leaves the socket without an address.
    // A request with none is limited as one shared unknown address, never not at all.
    const clientAddress = clientAddressOf(req, deps.trustProxyHops ?? 0);
    try {
      const response = await route(deps, req, url, clientAddress);
      // Answers about a learner's money are never kept by a browser or a proxy.
      if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
      await sendResponse(res, response);
    } catch (error) {
      logger.error({ err: errorField(error), path: url.pathname }, 'API request failed');
      if (!res.headersSent)
        await sendResponse(res, json(500, { error: 'Something went wrong on our side.' }));
      else res.destroy();
    }
  };
}

async function route(
  deps: ApiDeps,
  req: IncomingMessage,
  url: URL,
  clientAddress: string,
): Promise<Response> {
  const { pathname } = url;
  if (pathname === '/api/health') {
    const health = await checkHealth(deps.db);
    return json(health.status === 'ok' ? 200 : 503, { ...health, mode: deps.mode });
  }
  if (pathname === '/api/metrics') return serveMetrics(deps.db, deps.metricsToken, req);
  if (pathname === TRPC_ENDPOINT || pathname.startsWith(`${TRPC_ENDPOINT}/`)) {
    const batch = url.searchParams.get('batch') === '1';
    const calls = batch ? pathname.slice(TRPC_ENDPOINT.length + 1).split(',').length : 1;
    if (calls > LIMITS.trpcBatch) {
      return trpcRefusal(
        `A batch may hold at most ${LIMITS.trpcBatch} calls; this one has ${calls}.`,
        400,
        1,
      );
    }
    const query = url.searchParams.get('input');
    const problem = query === null ? null : checkJsonText(query);
    const answers = batch ? calls : null;
    if (problem) return trpcRefusal(problem, 400, answers);
    const read = await readRequest(req, url, LIMITS.trpcBody);
    if (read instanceof Response) return trpcRefusalFrom(read, answers);
    return handleTrpcRequest(
      read.request,
      { ...deps, sandboxMode: Boolean(deps.sandbox), clientAddress, maxBatchSize: LIMITS.trpcBatch },
      read.text,
    );
  }
  if (pathname === REST_ENDPOINT || pathname.startsWith(`${REST_ENDPOINT}/`)) {
    const request = await toRequest(req, url, LIMITS.trpcBody);
    if (request instanceof Response) return restRefusalFrom(request);
    return handleRestRequest(request, { ...deps, sandboxMode: Boolean(deps.sandbox), clientAddress });
  }
  if (pathname === '/api/webhooks/toss') {
    if (req.method !== 'POST') return json(405, { error: 'Use POST.' });
    const request = await toRequest(req, url, LIMITS.webhookBody);
    if (request instanceof Response) return request;
    return receiveWebhook(deps, request);
  }
  if (pathname === SANDBOX_WIDGET_SCRIPT || pathname.startsWith(SANDBOX_API)) {
    const { sandbox } = deps;
    if (!sandbox) return json(404, { error: 'Not found.' });
    if (pathname === SANDBOX_WIDGET_SCRIPT) {
      return new Response(sandbox.widgetScript, {
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
      });
    }
    const request = await toRequest(req, url, LIMITS.sandboxBody);
    if (request instanceof Response) return request;
    return sandbox.handle(request);
  }
  return json(404, { error: 'Not found.' });
}

/**
 * Toss wants a 200 within seconds: the delivery is recorded and answered at once, then acted on in the
 * background by re-reading Toss. A delivery whose processing is cut short is picked up by the janitor.
 */
async function receiveWebhook(deps: ApiDeps, request: Request): Promise<Response> {
  const received = await receiveTossWebhook(deps.db, request);
  if (received.status === 200 && received.deliveryId) {
    const processing = {
      db: deps.db,
      toss: deps.toss,
      waitForConfirmMs: 0,
      staleConfirmingMs: deps.staleConfirmingMs,
    };
    const deliveryId = received.deliveryId;
    void processDelivery(processing, deliveryId).then(
      () => observeWebhookLag(deps.db, deliveryId).catch(() => {}), // a metric is never worth an error
      (error) =>
        logger.error(
          { err: errorField(error), deliveryId },
          'webhook processing failed; the janitor retries it',
        ),
    );
  }
  return json(received.status, received.body);
}

/** Receipt to action, for a delivery acted on now (one left for the janitor shows in the backlog gauges). */
async function observeWebhookLag(db: Db, deliveryId: string) {
  const delivery = await findDelivery(db, deliveryId);
  if (delivery?.processedAt) {
    webhookLag.observe(Math.max(0, delivery.processedAt.getTime() - delivery.receivedAt.getTime()) / 1000);
  }
}

/** The request as a fetch Request with its body read (within `limit`) and checked; or the refusal. */
async function toRequest(req: IncomingMessage, url: URL, limit: number): Promise<Request | Response> {
  const read = await readRequest(req, url, limit);
  return read instanceof Response ? read : read.request;
}

/** toRequest, with the body's text as read (a service's signature covers it; no clone to read it again). */
async function readRequest(
  req: IncomingMessage,
  url: URL,
  limit: number,
): Promise<{ request: Request; text: string } | Response> {
  const method = req.method ?? 'GET';
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  if (method === 'GET' || method === 'HEAD')
    return { request: new Request(url, { method, headers }), text: '' };
  let body: Buffer;
  try {
    body = await readBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyRefused)) throw error;
    req.resume(); // drain what the client still sends, so it reads our answer instead of a reset
    return json(error.status, { error: error.message }, { connection: 'close' });
  }
  // Invalid UTF-8 is refused, not decoded to U+FFFD: two different request ids must never become one.
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    return json(400, { error: 'The request body is not valid UTF-8.' });
  }
  const problem = text ? checkJsonText(text) : null;
  if (problem) return json(400, { error: problem });
  headers.delete('content-length');
  headers.delete('transfer-encoding');
  return { request: new Request(url, { method, headers, body: text }), text };
}

/**
 * The client's address: the socket's peer, or behind `hops` proxies of ours the address the outermost
 * of them saw (the hops-th entry from the right of X-Forwarded-For; entries left of it are the client's
 * own say and are never trusted). Never missing: a request without one shares the key `unknown`.
 */
export function clientAddressOf(req: IncomingMessage, hops: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (hops === 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (forwarded.length === 0) return socket;
  return forwarded[Math.max(0, forwarded.length - hops)] ?? socket;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The URL the client asked for; the Host header is only trusted to be a plain host name. */
export function requestUrl(req: IncomingMessage): URL {
  const host =
    req.headers.host && /^[A-Za-z0-9.:[\]-]{1,255}$/.test(req.headers.host) ? req.headers.host : 'localhost';
  const scheme = cameOverHttps(req) ? 'https' : 'http';
  try {
    return new URL(req.url ?? '/', `${scheme}://${host}`);
  } catch {
    return new URL('/', `${scheme}://localhost`);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/**
 * A refusal shaped like tRPC's own errors, so typed clients read it as a TRPCClientError with a reason:
 * one error per call of a batch (`batchSize`), or a single one.
 */
function trpcRefusal(message: string, status = 400, batchSize: number | null = null): Response {
  const tooLarge = status === 413;
  const shape = {
    message,
    code: tooLarge ? -32413 : -32600,
    data: {
      code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
      httpStatus: status,
      reason: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'INVALID_INPUT',
    },
  };
  // Serialized as tRPC serializes its own errors with this router's transformer (superjson).
  const answer = { error: { json: shape } };
  return json(status, batchSize === null ? answer : Array(batchSize).fill(answer));
}

async function trpcRefusalFrom(refusal: Response, batchSize: number | null): Promise<Response> {
  const { error } = (await refusal.json()) as { error: string };
  return trpcRefusal(error, refusal.status, batchSize);
}

/** Writes a fetch Response to Node's response; a body that fails mid-flight drops the connection. */
export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  let body: Buffer;
  try {
    body = Buffer.from(await response.arrayBuffer());
  } catch {
    res.destroy();
    return;
  }
  res.statusCode = response.status;
  for (const [key, value] of response.headers) {
    if (key !== 'set-cookie') res.setHeader(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  res.end(body);
}
