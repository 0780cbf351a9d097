import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';

/**
 * The service's one logger (pino: JSON lines on standard output). Every line written while a request
 * is being served carries that request's id, the same one its response sends as `x-request-id`, so an
 * operator can go from a caller's complaint to the lines about it. Secrets are never logged: callers
 * pass ids and codes, never tokens, keys or request bodies.
 */

const requestScope = new AsyncLocalStorage<{ requestId: string }>();

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: undefined,
  mixin: () => {
    const scope = requestScope.getStore();
    return scope ? { requestId: scope.requestId } : {};
  },
  redact: ['authorization', 'cookie', '*.authorization', '*.cookie', 'token', 'secret', 'password'],
});

/** Runs `fn` with `requestId` attached to every log line it (and whatever it starts) writes. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestScope.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

/** An error as a log field: its message and stack, never the objects it may hold. */
export function errorField(error: unknown) {
  return error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
}
