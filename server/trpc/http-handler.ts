import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createRequestContext, type InnerContextOptions } from './context';
import { appRouter } from './router';

export const TRPC_ENDPOINT = '/api/trpc';

/** Serves tRPC over HTTP. The Next.js route and the HTTP integration tests both use this function. */
export function handleTrpcRequest(req: Request, deps: InnerContextOptions): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    createContext: ({ req, resHeaders }) => createRequestContext(deps, req, resHeaders),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
      }
    },
  });
}
