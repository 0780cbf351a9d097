import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import { ORDER_ID } from './patterns';

/**
 * The service's one logger (pino: JSON lines on standard output). Every line written while a request
 * is being served carries that request's id (the same one its response sends as `x-request-id`), and
 * the signed-in user's id and the order's id once they are known, so an operator can go from a caller's
 * complaint to the lines about it. Secrets are never logged: callers pass ids and codes, never tokens,
 * keys, passwords, card numbers or request bodies; the redaction below is a second line of defence.
 */

/** What is known about the work in progress: every line written inside it carries these fields. */
export interface LogScope {
  requestId?: string;
  userId?: string;
  orderId?: string;
  /** The public id of the service key a signed request came with. */
  serviceKeyId?: string;
}

const scopes = new AsyncLocalStorage<LogScope>();

/** Where the lines go: standard output, unless a test is reading them (captureLogLines). */
const stdout = pino.destination({ dest: 1, sync: false });
let sink: { write(line: string): unknown } = stdout;

export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: undefined,
    mixin: () => ({ ...scopes.getStore() }),
    redact: {
      paths: [
        'authorization',
        'cookie',
        'token',
        'secret',
        'secretKey',
        'password',
        'cardNumber',
        '*.authorization',
        '*.cookie',
        '*.token',
        '*.secret',
        '*.secretKey',
        '*.password',
        '*.cardNumber',
      ],
      censor: '[redacted]',
    },
  },
  { write: (line: string) => sink.write(line) },
);

/**
 * Runs `fn` inside `scope`: every line it (and whatever it starts) writes carries the scope's fields.
 * The object itself is kept, so fields added later (addToLogScope) reach lines written after them.
 */
export function withLogScope<T>(scope: LogScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

/** Runs `fn` with `requestId` attached to every log line it (and whatever it starts) writes. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return withLogScope({ requestId }, fn);
}

/** Adds what has just become known (who is calling, which order) to the current scope, if any. */
export function addToLogScope(fields: { userId?: string; orderId?: string; serviceKeyId?: string }): void {
  const scope = scopes.getStore();
  if (!scope) return;
  if (fields.userId) scope.userId = fields.userId;
  if (fields.serviceKeyId) scope.serviceKeyId = fields.serviceKeyId;
  // Only a well-formed order id: the value may come from a caller's unvalidated input.
  if (fields.orderId && ORDER_ID.test(fields.orderId)) scope.orderId = fields.orderId;
}

export function currentRequestId(): string | undefined {
  return scopes.getStore()?.requestId;
}

/** An error as a log field: its message and stack, never the objects it may hold. */
export function errorField(error: unknown) {
  return error instanceof Error ? { message: error.message, stack: error.stack } : { message: String(error) };
}

/**
 * For tests: sends every line to `lines` instead of standard output, at `level`, until the returned
 * function is called.
 */
export function captureLogLines(lines: string[], level = 'info'): () => void {
  const previous = { sink, level: logger.level };
  sink = { write: (line: string) => lines.push(line) };
  logger.level = level;
  return () => {
    sink = previous.sink;
    logger.level = previous.level;
  };
}
