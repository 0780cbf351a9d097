import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { addToLogScope } from '../../building-blocks/log';
import { secondsSince, trpcRequestDuration, trpcRequests } from '../../building-blocks/metrics';
import { koreanMessage } from '../../building-blocks/schemas/korean-messages';
import type { ServiceScope } from '../../building-blocks/service-auth/scopes';
import { isAdmin } from '../../use-cases/auth/auth.service';
import type { Context } from './context';
import { transformer } from './transformer';

const UNREADABLE_INPUT =
  'The input could not be read: send JSON in the superjson envelope a tRPC client sends ({ "json": ... }).';

/**
 * The one place tRPC is initialised and errors are mapped:
 * - DomainError → its tRPC code, with `data.reason` naming the refusal (and `data.retryAfterSeconds`
 *   when it says when to try again);
 * - zod input errors → BAD_REQUEST, `data.reason = 'INVALID_INPUT'`, a message naming each bad field,
 *   and `data.issues` with each field's message in English and in Korean (`messageKo`, for the pages);
 * - input tRPC could not even read (JSON text, the superjson envelope) → the same, with a plain message;
 * - anything else → INTERNAL_SERVER_ERROR with a generic message (no stack, no internals).
 */
/**
 * What a procedure declares about itself: a service procedure, the one scope it needs, and (`openapi`)
 * where it is also served as REST under /api/v1 (server/entry-points/http/rest-api.ts).
 */
export type ProcedureMeta = OpenApiMeta<{ scope?: ServiceScope }>;

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    isDev: false,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // Only an input that failed its schema is the caller's fault; an output that fails its schema is our
      // bug (INTERNAL below: logged with the request id, never shown with its field paths).
      if (cause instanceof ZodError && error.code === 'BAD_REQUEST') {
        const issues = cause.issues.map((i) => ({
          path: i.path.join('.'),
          message: i.message,
          messageKo: koreanMessage(i),
        }));
        return {
          ...shape,
          message: issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
          data: { ...shape.data, reason: 'INVALID_INPUT', issues },
        };
      }
      if (cause instanceof DomainError) {
        const retry =
          cause.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: cause.retryAfterSeconds };
        return { ...shape, data: { ...shape.data, reason: cause.reason, ...retry } };
      }
      // tRPC refuses input that JSON.parse or superjson throws on with the thrower's own message ("Unexpected
      // token ...", "Maximum call stack size exceeded", "identicalPaths.map is not a function"): internal
      // text, sometimes echoing the input. tRPC's own refusals (unknown path, wrong method) word their own.
      if (cause && error.code !== 'INTERNAL_SERVER_ERROR' && error.message === cause.message) {
        return {
          ...shape,
          message: UNREADABLE_INPUT,
          data: { ...shape.data, reason: error.code === 'BAD_REQUEST' ? 'INVALID_INPUT' : error.code },
        };
      }
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        return {
          ...shape,
          message: 'Something went wrong on our side; nothing was charged twice. Try again.',
          data: { ...shape.data, reason: 'INTERNAL' },
        };
      }
      return { ...shape, data: { ...shape.data, reason: error.code } };
    },
  });

/**
 * Every procedure's first step, the one place a call is measured and its refusal mapped:
 * - counts and times the call by procedure (tRPC runs this only for procedures that exist, so the label
 *   takes no caller's text), and puts the order it is about in the log scope: the input's orderId, or
 *   the one an answer names (order.create);
 * - turns a DomainError thrown below into a TRPCError with the right code, and tells an HTTP caller when
 *   to come back if the refusal says.
 * One middleware, not two: each of tRPC's middleware steps copies the call's options and context, a
 * visible share of a charge's CPU in the benchmark's profile.
 */
const measureAndMapErrors = t.middleware(async ({ ctx, path, type, getRawInput, next }) => {
  const startedAt = performance.now();
  addToLogScope({ orderId: orderIdIn(await getRawInput().catch(() => undefined)) });
  const result = await next();
  if (result.ok) addToLogScope({ orderId: orderIdIn(result.data) });
  const refusal = !result.ok && result.error.cause instanceof DomainError ? result.error.cause : null;
  const code = result.ok ? 'OK' : (refusal?.code ?? result.error.code);
  trpcRequests.inc({ procedure: path, type, code });
  trpcRequestDuration.observe({ procedure: path, type }, secondsSince(startedAt));
  if (refusal) {
    if (refusal.retryAfterSeconds !== undefined) {
      ctx.setResponseHeader('Retry-After', String(refusal.retryAfterSeconds));
    }
    throw new TRPCError({ code: refusal.code, message: refusal.message, cause: refusal });
  }
  return result;
});

function orderIdIn(value: unknown): string | undefined {
  const orderId = value && typeof value === 'object' && 'orderId' in value ? value.orderId : undefined;
  return typeof orderId === 'string' ? orderId : undefined;
}

/**
 * Learners' and admins' procedures (public ones too) are never a service's: a signed request that did not
 * verify is refused with why, one that did is SERVICE_KEY_NOT_ACCEPTED.
 */
function refuseServices(ctx: Context): void {
  if (ctx.serviceRefusal) throw new DomainError(ctx.serviceRefusal);
  if (ctx.service) throw new DomainError('SERVICE_KEY_NOT_ACCEPTED');
}

/**
 * A learner's (or an anonymous caller's) procedure: never a service's (refuseServices), and the
 * caller's session looked up (one query, only when a token came): `ctx.user` is the signed-in user, or
 * null for an anonymous caller. A bearer token that names no live session is refused everywhere, even
 * where signing in is optional.
 */
const findSession = t.middleware(async ({ ctx, next }) => {
  refuseServices(ctx);
  const session = await ctx.findSession();
  if (ctx.bearer && !session) throw invalidBearer();
  return next({ ctx: { ...ctx, user: session?.user ?? null, sessionId: session?.sessionId ?? null } });
});

function invalidBearer() {
  return new DomainError('UNAUTHORIZED', 'The bearer token is invalid or expired.');
}

/**
 * The one check of every service procedure: the request was signed by a key that verified (else the
 * reason it did not, or SERVICE_SIGNATURE_REQUIRED for a learner's token or no credentials at all), and
 * the key holds the scope the procedure declares in its meta (`.meta({ scope: 'orders:write' })`).
 */
const requireServiceScope = t.middleware(({ ctx, meta, next }) => {
  if (ctx.serviceRefusal) throw new DomainError(ctx.serviceRefusal);
  if (!ctx.service) throw new DomainError('SERVICE_SIGNATURE_REQUIRED');
  const scope = meta?.scope;
  if (!scope) throw new Error('a service procedure must declare its scope in .meta({ scope })');
  if (!ctx.service.scopes.includes(scope)) {
    throw new DomainError('SCOPE_MISSING', `This service key lacks the scope ${scope}.`);
  }
  return next({ ctx: { ...ctx, service: ctx.service } });
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(measureAndMapErrors).use(findSession);

/** What another service may call, with a signed request; each declares its scope in its meta. */
export const serviceProcedure = t.procedure.use(measureAndMapErrors).use(requireServiceScope);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.sessionId) throw new DomainError('UNAUTHORIZED');
  return next({ ctx: { ...ctx, user: ctx.user, sessionId: ctx.sessionId } });
});

/**
 * A learner's money request made in one SQL statement (wallet.charge, wallet.pay): the token's signature
 * is checked here, and the statement itself refuses a session that is no longer live, so the request is
 * one round trip to the database, not two (README, "One round trip per charge"). `ctx.learner` is who the
 * token names; the use case must pass its sessionId to the statement (the ledger's types require it).
 */
export const signedInMoneyProcedure = t.procedure.use(measureAndMapErrors).use(async ({ ctx, next }) => {
  refuseServices(ctx);
  if (!ctx.claims) throw ctx.bearer ? invalidBearer() : new DomainError('UNAUTHORIZED');
  const result = await next({ ctx: { ...ctx, learner: ctx.claims } });
  const cause = result.ok ? undefined : result.error.cause;
  if (cause instanceof DomainError && cause.reason === 'UNAUTHORIZED') ctx.sessionEnded();
  return result;
});

/** Admins are the users granted the role (`npm run admin -- grant`); everyone else is FORBIDDEN. */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!isAdmin(ctx.user)) throw new DomainError('FORBIDDEN');
  return next();
});
