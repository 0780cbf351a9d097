import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { errorField, logger } from '../../building-blocks/log';
import { createRequestContext, type InnerContextOptions } from './context';
import { appRouter } from './router';

export const TRPC_ENDPOINT = '/api/trpc';

/**
 * Serves tRPC for one HTTP request (server/entry-points/http/api.ts calls it). `maxBatchSize` caps the calls in one
 * batch: more is BAD_REQUEST before any of them runs.
 */
export async function handleTrpcRequest(
  req: Request,
  deps: InnerContextOptions & { maxBatchSize?: number },
  /** The body's text when the caller has read it already (api.ts); else it is read from a clone. */
  rawBody?: string,
): Promise<Response> {
  const { maxBatchSize, ...context } = deps;
  // The raw body, read before tRPC reads it: a service's signature covers its SHA-256.
  const body = rawBody ?? (req.body ? await req.clone().text() : '');
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    maxBatchSize,
    createContext: ({ req, resHeaders }) => createRequestContext(context, req, resHeaders, body),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ err: errorField(error.cause ?? error), procedure: path ?? '?' }, 'tRPC call failed');
      }
    },
  });
}
