import type { Db } from '../../building-blocks/db/client';
import { addToLogScope } from '../../building-blocks/log';
import { createTossClient, type TossClient } from '../../building-blocks/toss/toss-client';
import { type AuthConfig, type AuthUser, authenticate } from '../../use-cases/auth/auth.service';

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
  /** SERVICE_KEY_ENCRYPTION_KEY (seals webhook endpoints' signing secrets), or null when unset. */
  sealingKey: Buffer | null;
  user: AuthUser | null;
  sessionId: string | null;
  /** A bearer token was sent and is invalid: even public procedures refuse such a caller. */
  invalidBearer: boolean;
  /** Who is calling, as the HTTP server's socket saw it; null when unknown (a direct caller). */
  clientAddress: string | null;
  setSessionCookie: (token: string, expiresAt: Date) => void;
  clearSessionCookie: () => void;
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
}

export function createInnerContext(opts: InnerContextOptions): Context {
  return {
    db: opts.db,
    auth: opts.auth,
    toss: opts.toss ?? unreachableToss,
    waitForConfirmMs: opts.waitForConfirmMs ?? 65_000,
    sandboxMode: opts.sandboxMode ?? false,
    sealingKey: opts.sealingKey ?? null,
    user: opts.user ?? null,
    sessionId: opts.sessionId ?? null,
    invalidBearer: false,
    clientAddress: opts.clientAddress ?? null,
    setSessionCookie: () => {},
    clearSessionCookie: () => {},
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

/** Reads `Authorization: Bearer <token>` or the session cookie, and lets procedures set the cookie. */
export async function createRequestContext(
  opts: InnerContextOptions,
  req: Request,
  resHeaders: Headers,
): Promise<Context> {
  const authorization = req.headers.get('authorization');
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  const cookie = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
  const token = bearer ?? cookie;
  const session = token ? await authenticate(opts.db, opts.auth, token) : null;
  if (session) addToLogScope({ userId: session.user.id });
  const secure = cookieCanBeSecure(req) ? '; Secure' : '';
  const clearCookie = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure}`;
  // A cookie that no longer verifies (expired, signed out, tampered) is cleared; user procedures
  // refuse the caller as UNAUTHORIZED, public ones treat them as anonymous.
  if (!bearer && cookie && !session) resHeaders.append('Set-Cookie', clearCookie);

  return {
    ...createInnerContext({ ...opts, user: session?.user, sessionId: session?.sessionId }),
    invalidBearer: Boolean(bearer) && !session,
    setSessionCookie: (value, expiresAt) => {
      resHeaders.append(
        'Set-Cookie',
        `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secure}`,
      );
    },
    clearSessionCookie: () => resHeaders.append('Set-Cookie', clearCookie),
    setResponseHeader: (name, value) => resHeaders.set(name, value),
  };
}
