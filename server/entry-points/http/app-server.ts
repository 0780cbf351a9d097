import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorField, type LogScope, logger, withLogScope } from '../../building-blocks/log';
import { type createApiHandler, isApiPath, requestUrl } from './api';
import {
  API_POLICY,
  newNonce,
  type PagePolicyOptions,
  pagePolicy,
  setCommonHeaders,
} from './security-headers';

export interface AppServerOptions {
  api: ReturnType<typeof createApiHandler>;
  /** Next.js's request handler for pages; without it (API-only test servers) pages are 404. */
  pages?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Next.js's websocket handler (`next dev`'s hot reload). */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void>;
  policy: PagePolicyOptions;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/**
 * One line per request, written when its connection is done with it: the path without its query (which
 * may hold a paymentKey or a tRPC input), the status, the time taken, and from the scope the request id
 * and, once known, the user and the order. Next.js's static files are only written at debug level.
 */
function logRequest(req: IncomingMessage, res: ServerResponse, startedAt: number) {
  const line = {
    event: 'request',
    method: req.method,
    path: requestUrl(req).pathname,
    status: res.statusCode,
    durationMs: Math.round(performance.now() - startedAt),
    ...(res.writableFinished ? {} : { aborted: true }),
  };
  if (line.path.startsWith('/_next/')) logger.debug(line, 'request');
  else logger.info(line, 'request');
}

/**
 * The one HTTP server of the app: every request gets an id (`x-request-id`, echoed from a proxy when it
 * sent a sane one) carried by every log line written while serving it, and the security headers; then
 * /api goes to our own layer (server/entry-points/http/api.ts) and everything else to Next.js.
 */
export function createAppServer(options: AppServerOptions): http.Server {
  const server = http.createServer((req, res) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const scope: LogScope = { requestId };
    const startedAt = performance.now();
    res.once('close', () => withLogScope(scope, () => logRequest(req, res, startedAt)));
    void withLogScope(scope, () => serve(options, req, res));
  });
  if (options.upgrade) server.on('upgrade', options.upgrade);
  // Slow-loris bounds: a client gets 30 s to send its headers and 60 s for the whole request.
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  return server;
}

async function serve(options: AppServerOptions, req: IncomingMessage, res: ServerResponse) {
  const url = requestUrl(req);
  try {
    if (isApiPath(url.pathname)) {
      setCommonHeaders(req, res, API_POLICY);
      await options.api(req, res, url);
      return;
    }
    const policy = pagePolicy(newNonce(), options.policy);
    // Next.js takes the nonce for its own scripts from the request's CSP header.
    req.headers['content-security-policy'] = policy;
    setCommonHeaders(req, res, policy);
    if (options.pages) await options.pages(req, res);
    else {
      res.statusCode = 404;
      res.end('Not found');
    }
  } catch (error) {
    logger.error({ err: errorField(error), path: url.pathname }, 'request failed');
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('Something went wrong on our side.');
    } else res.destroy();
  }
}
