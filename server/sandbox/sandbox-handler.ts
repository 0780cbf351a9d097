import { createHash, timingSafeEqual } from 'node:crypto';
import { errorField, logger } from '../building-blocks/log';
import {
  cancelPayment,
  confirmPayment,
  listTransactions,
  readPayment,
  type SandboxOptions,
  sandboxPaymentInput,
  shopperDecides,
} from './sandbox-api';
import { tossError, tossStatusOf } from './sandbox-errors';
import { addFault, clearFaults, type Fault, faultInput, takeFault } from './sandbox-faults';
import { claimIdempotencyKey, releaseIdempotencyKey, storeIdempotentResponse } from './sandbox-idempotency';
import { RECEIPT_PATH, receiptPage } from './sandbox-receipt';
import { paymentByKey, type SandboxDb } from './sandbox-store';

/**
 * An offline Toss Payments, served at /api/toss-sandbox: the REST API the app's Toss client calls, the
 * helper the sandbox widget calls when the shopper decides, and fault injection for tests. Its state is
 * in the database (its own schema, see sandbox-store.ts), so it survives restarts. It exists only while no
 * real Toss keys are configured.
 */

export const SANDBOX_PREFIX = '/api/toss-sandbox';

export interface SandboxDeps extends SandboxOptions {
  db: SandboxDb;
  secretKey: string;
  /**
   * Fault injection breaks other shoppers' payments, so it needs this secret as a bearer token (the
   * test harness has it; browsers never do). Null: fault injection is refused to everyone.
   */
  controlSecret: string | null;
}

export async function handleSandboxRequest(req: Request, deps: SandboxDeps): Promise<Response> {
  try {
    return await route(req, deps);
  } catch (error) {
    logger.error({ err: errorField(error) }, 'toss sandbox failed');
    return tossError('FAILED_INTERNAL_SYSTEM_PROCESSING');
  }
}

async function route(req: Request, deps: SandboxDeps): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.slice(url.pathname.indexOf(SANDBOX_PREFIX) + SANDBOX_PREFIX.length) || '/';
  const method = req.method.toUpperCase();
  const body = method === 'POST' ? await readJson(req) : undefined;
  if (body === INVALID_JSON) return tossError('INVALID_REQUEST', '요청 본문이 올바른 JSON이 아닙니다.');

  // Test helpers: what the shopper does in the widget, and fault injection.
  if (path === '/v1/sandbox/payments' && method === 'POST') {
    const input = sandboxPaymentInput.safeParse(body);
    if (!input.success) return tossError('INVALID_REQUEST', issuesText(input.error));
    return shopperDecides(deps.db, input.data, deps);
  }
  if (path === '/v1/sandbox/faults') {
    if (!holdsControlSecret(req.headers.get('authorization'), deps.controlSecret)) {
      return tossError(
        'FORBIDDEN_REQUEST',
        '장애 주입에는 샌드박스 제어 비밀값(TOSS_SANDBOX_CONTROL_SECRET)이 필요합니다.',
        403,
      );
    }
    if (method === 'DELETE') {
      await clearFaults(deps.db);
      return Response.json({ cleared: true });
    }
    const input = faultInput.safeParse(body);
    if (method !== 'POST' || !input.success)
      return tossError('INVALID_REQUEST', input.error ? issuesText(input.error) : undefined);
    return Response.json(await addFault(deps.db, input.data));
  }

  // The receipt Toss's receipt.url opens: a page for whoever holds the link, as Toss's is.
  if (path.startsWith(RECEIPT_PATH) && method === 'GET') {
    const paymentKey = safeDecode(path.slice(RECEIPT_PATH.length));
    return paymentKey ? receiptPage(deps.db, paymentKey) : tossError('NOT_FOUND', undefined, 404);
  }

  const auth = checkBasicAuth(req.headers.get('authorization'), deps.secretKey);
  if (auth) return auth;

  const testCode = req.headers.get('tosspayments-test-code');
  if (testCode) return tossError(testCode);

  const operation = matchOperation(method, path);
  if (!operation) return tossError('NOT_FOUND', '존재하지 않는 API 입니다.', 404);

  const idempotencyKey = method === 'POST' ? req.headers.get('idempotency-key') : null;
  let claimId: string | null = null;
  if (idempotencyKey !== null) {
    if (idempotencyKey.length === 0 || idempotencyKey.length > 300)
      return tossError('INVALID_IDEMPOTENCY_KEY');
    const claim = await claimIdempotencyKey(deps.db, idempotencyKey, deps.secretKey, method, path);
    if (claim.kind === 'in-flight') return tossError('IDEMPOTENT_REQUEST_PROCESSING');
    if (claim.kind === 'replay') return Response.json(claim.body, { status: claim.status });
    claimId = claim.id;
  }

  const orderId = orderIdOf(path, body);
  const fault = await takeFault(deps.db, path, orderId ?? (await orderIdOfPaymentKey(deps.db, path)));
  if (fault?.action === 'delay') await sleep(fault.ms ?? 0);
  if (fault?.action === 'error' || fault?.action === 'reset') {
    if (claimId) await releaseIdempotencyKey(deps.db, claimId);
    return fault.action === 'error' ? injectedError(fault) : brokenConnection();
  }

  // Toss replays the first answer to a key, errors included; a crash of ours is recorded the same way.
  const response = await operation(deps.db, body, url.searchParams, deps).catch((error: unknown) => {
    logger.error({ err: errorField(error) }, 'toss sandbox operation failed');
    return tossError('FAILED_INTERNAL_SYSTEM_PROCESSING');
  });
  if (claimId)
    await storeIdempotentResponse(deps.db, claimId, response.status, await response.clone().json());
  return fault?.action === 'drop-response' ? brokenConnection() : response;
}

type Operation = (
  db: SandboxDb,
  body: unknown,
  query: URLSearchParams,
  options: SandboxOptions,
) => Promise<Response>;

function matchOperation(method: string, path: string): Operation | null {
  if (method === 'POST' && path === '/v1/payments/confirm')
    return (db, body, _query, options) => confirmPayment(db, body, options);
  if (method === 'GET' && path === '/v1/transactions')
    return (db, _body, query) => listTransactions(db, query);
  let m = path.match(/^\/v1\/payments\/orders\/([^/]+)$/);
  if (method === 'GET' && m?.[1]) {
    const orderId = safeDecode(m[1]);
    return orderId === null ? null : (db) => readPayment(db, { orderId });
  }
  m = path.match(/^\/v1\/payments\/([^/]+)\/cancel$/);
  if (method === 'POST' && m?.[1]) {
    const paymentKey = safeDecode(m[1]);
    return paymentKey === null
      ? null
      : (db, body, _query, options) => cancelPayment(db, paymentKey, body, options);
  }
  m = path.match(/^\/v1\/payments\/([^/]+)$/);
  if (method === 'GET' && m?.[1]) {
    const paymentKey = safeDecode(m[1]);
    return paymentKey === null ? null : (db) => readPayment(db, { paymentKey });
  }
  return null;
}

function holdsControlSecret(header: string | null, secret: string | null): boolean {
  const presented = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (!secret || !presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

/** Basic auth with the secret key as user name and an empty password: `base64("<secretKey>:")`. */
function checkBasicAuth(header: string | null, secretKey: string): Response | null {
  const encoded = header?.match(/^Basic\s+(.+)$/i)?.[1];
  if (!encoded) return tossError('UNAUTHORIZED_KEY');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  if (!decoded.includes(':')) return tossError('INCORRECT_BASIC_AUTH_FORMAT');
  if (decoded.slice(0, decoded.indexOf(':')) !== secretKey) return tossError('UNAUTHORIZED_KEY');
  return null;
}

function orderIdOf(path: string, body: unknown): string | undefined {
  const fromBody = (body as { orderId?: unknown } | undefined)?.orderId;
  if (typeof fromBody === 'string') return /\p{Cc}/u.test(fromBody) ? undefined : fromBody;
  const m = path.match(/^\/v1\/payments\/orders\/([^/]+)$/);
  return m?.[1] ? (safeDecode(m[1]) ?? undefined) : undefined;
}

async function orderIdOfPaymentKey(db: SandboxDb, path: string): Promise<string | undefined> {
  const m = path.match(/^\/v1\/payments\/([^/]+)(\/cancel)?$/);
  if (!m?.[1] || m[1] === 'confirm' || m[1] === 'orders') return undefined;
  const paymentKey = safeDecode(m[1]);
  if (paymentKey === null) return undefined;
  return (await paymentByKey(db, paymentKey))?.orderId;
}

function injectedError(fault: Fault): Response {
  const code = fault.code ?? 'FAILED_INTERNAL_SYSTEM_PROCESSING';
  return tossError(code, undefined, fault.status ?? tossStatusOf(code));
}

/** A response whose body fails mid-flight: the caller sees its connection die without an answer. */
function brokenConnection(): Response {
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.error(new Error('toss sandbox: connection reset (injected fault)'));
      },
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );
}

const INVALID_JSON = Symbol('invalid json');

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

function issuesText(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A path segment as Toss would read it; one that does not decode names nothing (404 below). */
function safeDecode(segment: string): string | null {
  try {
    const decoded = decodeURIComponent(segment);
    return /\p{Cc}/u.test(decoded) ? null : decoded;
  } catch {
    return null;
  }
}
