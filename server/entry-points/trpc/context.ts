import type { SessionClaims } from '../../building-blocks/auth/session-token';
import type { Db } from '../../building-blocks/db/client';
import type { DomainReason } from '../../building-blocks/errors/domain-error';
import { addToLogScope } from '../../building-blocks/log';
import { createTossClient, type TossClient } from '../../building-blocks/toss/toss-client';
import {
  type AuthConfig,
  type AuthUser,
  findLiveSession,
  readSessionToken,
} from '../../use-cases/auth/auth.service';
import { authenticateService, type ServiceCaller } from '../../use-cases/service/authenticate-service';

export const SESSION_COOKIE = 'session';

const unreachableToss = createTossClient({
  baseUrl: 'http://127.0.0.1:9',
  secretKey: 'none',
  readTimeoutMs: 1000,
});

/** What a procedure can touch. The inner part needs no Request, so tests build it directly. */
export interface Context {
  db: Db;
  auth: AuthConfig;
  /** Toss (or the sandbox) for card payments, and how long a concurrent confirm waits for another. */
  toss: TossClient;
  waitForConfirmMs: number;
  /** Sandbox mode (TOSS_SANDBOX=on): only then does the seed's test charge (balance without a card) exist. */
  sandboxMode: boolean;
  /** SERVICE_KEY_ENCRYPTION_KEY (seals webhook endpoints' and service keys' secrets), or null when unset. */
  sealingKey: Buffer | null;
  /**
   * The signed-in learner and their session, once looked up: filled by publicProcedure's session check
   * (null before it, and for a money procedure, whose statement checks the session itself).
   */
  user: AuthUser | null;
  sessionId: string | null;
  /**
   * Who the session token says is calling: its signature is verified, but not yet whether the session
   * is live (signed out, expired). `findSession` checks that; the money statements check it themselves.
   */
  claims: SessionClaims | null;
  /** The live session the claims name, looked up once per request (null: none, or no longer live). */
  findSession: () => Promise<{ user: AuthUser; sessionId: string } | null>;
  /** A bearer token was sent: when it names no live session, even public procedures refuse the caller. */
  bearer: boolean;
  /**
   * Another service whose signed request verified (X-Pay-* headers). A context holds a learner (`user`)
   * or a service, never both: a signed request's session token or cookie is not even read.
   */
  service: ServiceCaller | null;
  /** The request was signed and did not verify: every procedure refuses it with this reason. */
  serviceRefusal: DomainReason | null;
  /** Where the request came in (`https://payments.example`), for links sent back; null for direct callers. */
  origin: string | null;
  /** Who is calling, as the HTTP server's socket saw it; null when unknown (a direct caller). */
  clientAddress: string | null;
  setSessionCookie: (token: string, expiresAt: Date) => void;
  clearSessionCookie: () => void;
  /** A money statement found the session no longer live: clears a stale cookie, as findSession would. */
  sessionEnded: () => void;
  /** Sets a header on the HTTP response (e.g. Retry-After); does nothing without one. */
  setResponseHeader: (name: string, value: string) => void;
}

export interface InnerContextOptions {
  db: Db;
  auth: AuthConfig;
  /** Tests that never reach Toss may leave it out: calls then fail as if Toss were unreachable. */
  toss?: TossClient;
  waitForConfirmMs?: number;
  /** Off unless said: the test charge is refused (TEST_CHARGE_DISABLED) as in a real deployment. */
  sandboxMode?: boolean;
  /** Null unless given: endpoints' secrets can then be neither sealed nor opened (SEALING_KEY_MISSING). */
  sealingKey?: Buffer | null;
  user?: AuthUser | null;
  sessionId?: string | null;
  /**
   * The peer's address from the socket (`req.socket.remoteAddress`), per request, passed by the HTTP
   * server. Never a forwarded header such as X-Forwarded-For: any client can write those. Without it
   * only the per-account sign-in limit applies.
   */
  clientAddress?: string | null;
  /** A verified service (tests that call service procedures directly). */
  service?: ServiceCaller | null;
  origin?: string | null;
  /** PUBLIC_URL: where learners reach the app; links sent back use it rather than the request's host. */
  publicUrl?: string | null;
}

export function createInnerContext(opts: InnerContextOptions): Context {
  return {
    db: opts.db,
    auth: opts.auth,
    toss: opts.toss ?? unreachableToss,
    waitForConfirmMs: opts.waitForConfirmMs ?? 65_000,
    sandboxMode: opts.sandboxMode ?? false,
    sealingKey: opts.sealingKey ?? null,
    user: null,
    sessionId: null,
    claims: opts.user && opts.sessionId ? { userId: opts.user.id, sessionId: opts.sessionId } : null,
    findSession: async () =>
      opts.user && opts.sessionId ? { user: opts.user, sessionId: opts.sessionId } : null,
    bearer: false,
    service: opts.service ?? null,
    serviceRefusal: null,
    origin: opts.origin ?? null,
    clientAddress: opts.clientAddress ?? null,
    setSessionCookie: () => {},
    clearSessionCookie: () => {},
    sessionEnded: () => {},
    setResponseHeader: () => {},
  };
}

function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join('='));
    } catch {
      return undefined; // a mangled cookie is no cookie
    }
  }
  return undefined;
}

/**
 * The cookie is Secure whenever the browser will keep it so: over https (directly or behind a proxy
 * that says so) and on loopback hosts, which browsers treat as secure. Only plain http to another
 * host goes without, since a Secure cookie would then be dropped and sign-in silently fail.
 */
function cookieCanBeSecure(req: Request): boolean {
  const url = new URL(req.url);
  return (
    url.protocol === 'https:' ||
    req.headers.get('x-forwarded-proto') === 'https' ||
    ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  );
}

/**
 * A signed request (any X-Pay-* header) is a service's: its signature is verified over `body`, the raw
 * body text, and no session is read. Otherwise reads `Authorization: Bearer <token>` or the session
 * cookie, and lets procedures set the cookie.
 */
export async function createRequestContext(
  opts: InnerContextOptions,
  req: Request,
  resHeaders: Headers,
  body = '',
): Promise<Context> {
  const url = new URL(req.url);
  const signed = await authenticateService(opts.db, opts.sealingKey ?? null, {
    method: req.method,
    pathWithQuery: `${url.pathname}${url.search}`,
    body,
    header: (name) => req.headers.get(name),
  });
  if (signed.kind !== 'none') {
    if (signed.kind === 'service') addToLogScope({ serviceKeyId: signed.service.keyId });
    return {
      ...createInnerContext({ ...opts, origin: opts.publicUrl ?? url.origin }),
      service: signed.kind === 'service' ? signed.service : null,
      serviceRefusal: signed.kind === 'refused' ? signed.reason : null,
      setResponseHeader: (name, value) => resHeaders.set(name, value),
    };
  }
  const authorization = req.headers.get('authorization');
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const cookie = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
  const token = bearer ?? cookie;
  // The signature only, here: whether the session is still live is one query, made by the procedures
  // that need it (findSession) or by the money statement itself.
  const claims = token ? await readSessionToken(opts.auth, token) : null;
  if (claims) addToLogScope({ userId: claims.userId });
  const secure = cookieCanBeSecure(req) ? '; Secure' : '';
  const clearCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure}`;
  // A cookie that no longer verifies (expired, signed out, tampered) is cleared; user procedures
  // refuse the caller as UNAUTHORIZED, public ones treat them as anonymous.
  let cleared = false;
  const clearStaleCookie = () => {
    if (bearer || !cookie || cleared) return;
    cleared = true;
    resHeaders.append('Set-Cookie', clearCookie);
  };
  if (!claims) clearStaleCookie();
  let lookup: Promise<{ user: AuthUser; sessionId: string } | null> | undefined;

  return {
    ...createInnerContext({ ...opts, origin: opts.publicUrl ?? url.origin }),
    claims,
    bearer: Boolean(bearer),
    findSession: () => {
      lookup ??= (async () => {
        const session = claims ? await findLiveSession(opts.db, claims) : null;
        if (!session) clearStaleCookie();
        return session;
      })();
      return lookup;
    },
    setSessionCookie: (value, expiresAt) => {
      resHeaders.append(
        'Set-Cookie',
        `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`,
      );
    },
    clearSessionCookie: () => resHeaders.append('Set-Cookie', clearCookie),
    sessionEnded: clearStaleCookie,
    setResponseHeader: (name, value) => resHeaders.set(name, value),
  };
}
