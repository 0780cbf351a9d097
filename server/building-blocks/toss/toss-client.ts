import { addToLogScope, logger } from '../log';
import { secondsSince, tossRequestDuration, tossRequests } from '../metrics';
import {
  type TossPayment,
  type TossResult,
  TRANSIENT_TOSS_CODES,
  tossErrorSchema,
  tossPaymentSchema,
} from './toss-types';

/**
 * Toss Payments' server API over HTTP. The same client talks to the real Toss or to the sandbox this app
 * ships: only `baseUrl` and the keys differ. It never throws for transport problems; it reports them as
 * `unknown`, because a request that timed out may still have been processed by Toss.
 */

export interface TossClientOptions {
  baseUrl: string;
  secretKey: string;
  /** Bounds the whole exchange: Toss recommends 60 s for payment APIs. */
  readTimeoutMs: number;
  /** Called before the request is sent and after it ends, to keep every exchange on record. */
  recorder?: TossRecorder;
}

export interface TossExchangeStart {
  operation: string;
  httpMethod: string;
  path: string;
  orderId?: string;
  idempotencyKey?: string;
  requestBody?: unknown;
}

export interface TossRecorder {
  start(exchange: TossExchangeStart): Promise<string>;
  finish(
    id: string,
    outcome: { status?: number; code?: string; body?: unknown; error?: string },
  ): Promise<void>;
}

export interface ConfirmRequest {
  paymentKey: string;
  orderId: string;
  amount: number;
}

export interface CancelRequest {
  cancelReason: string;
  cancelAmount?: number;
}

export type TossClient = ReturnType<typeof createTossClient>;

export function basicAuth(secretKey: string): string {
  return `Basic ${Buffer.from(`${secretKey}:`, 'utf8').toString('base64')}`;
}

export function createTossClient(options: TossClientOptions) {
  const base = options.baseUrl.replace(/\/$/, '');

  async function call(
    exchange: TossExchangeStart,
    extraHeaders: Record<string, string> = {},
  ): Promise<TossResult<TossPayment | unknown>> {
    addToLogScope({ orderId: exchange.orderId });
    const recordId = await options.recorder?.start(exchange);
    const startedAt = performance.now();
    const finish = (
      result: TossResult<unknown>['kind'],
      outcome: { status?: number; code?: string; body?: unknown; error?: string },
    ) => {
      noteExchange(exchange, result, outcome, startedAt);
      return recordId ? options.recorder?.finish(recordId, outcome) : undefined;
    };

    const headers: Record<string, string> = {
      authorization: basicAuth(options.secretKey),
      'content-type': 'application/json',
      ...extraHeaders,
    };
    if (exchange.idempotencyKey) headers['idempotency-key'] = exchange.idempotencyKey;

    let status: number;
    let text: string;
    try {
      const response = await fetch(`${base}${exchange.path}`, {
        method: exchange.httpMethod,
        headers,
        body: exchange.requestBody === undefined ? undefined : JSON.stringify(exchange.requestBody),
        signal: AbortSignal.timeout(options.readTimeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      const reason = isTimeout(error) ? 'timeout' : `network: ${networkCause(error)}`;
      await finish('unknown', { error: reason });
      return { kind: 'unknown', reason };
    }

    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }

    if (status >= 200 && status < 300) {
      await finish('ok', { status, body });
      return { kind: 'ok', status, body };
    }
    const error = tossErrorSchema.safeParse(body);
    const code = error.success ? error.data.code : `HTTP_${status}`;
    const message = error.success ? error.data.message : `Toss answered ${status}`;
    if (status >= 500 || status === 409 || TRANSIENT_TOSS_CODES.has(code)) {
      await finish('unknown', { status, code, body });
      return { kind: 'unknown', reason: `status ${status} ${code}`, status, code, message };
    }
    await finish('refused', { status, code, body });
    return { kind: 'refused', status, code, message };
  }

  function asPayment(result: TossResult<unknown>): TossResult<TossPayment> {
    if (result.kind !== 'ok') return result;
    const parsed = tossPaymentSchema.safeParse(result.body);
    if (!parsed.success)
      return { kind: 'unknown', reason: 'unreadable payment in response', status: result.status };
    return { kind: 'ok', status: result.status, body: parsed.data };
  }

  return {
    /** POST /v1/payments/confirm: approve a payment the shopper authenticated. */
    async confirm(request: ConfirmRequest, idempotencyKey: string, testCode?: string) {
      return asPayment(
        await call(
          {
            operation: 'confirm',
            httpMethod: 'POST',
            path: '/v1/payments/confirm',
            orderId: request.orderId,
            idempotencyKey,
            requestBody: request,
          },
          testCode ? { 'tosspayments-test-code': testCode } : {},
        ),
      );
    },

    /** GET /v1/payments/{paymentKey} */
    async getPayment(paymentKey: string, orderId?: string) {
      return asPayment(
        await call({
          operation: 'get',
          httpMethod: 'GET',
          path: `/v1/payments/${encodeURIComponent(paymentKey)}`,
          orderId,
        }),
      );
    },

    /** GET /v1/payments/orders/{orderId} */
    async getPaymentByOrderId(orderId: string) {
      return asPayment(
        await call({
          operation: 'get',
          httpMethod: 'GET',
          path: `/v1/payments/orders/${encodeURIComponent(orderId)}`,
          orderId,
        }),
      );
    },

    /** POST /v1/payments/{paymentKey}/cancel: full when `cancelAmount` is omitted, else partial. */
    async cancel(paymentKey: string, request: CancelRequest, idempotencyKey: string, orderId?: string) {
      return asPayment(
        await call({
          operation: 'cancel',
          httpMethod: 'POST',
          path: `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`,
          orderId,
          idempotencyKey,
          requestBody: request,
        }),
      );
    },

    /** GET /v1/transactions for a date range (ISO dates or date-times). */
    async transactions(range: {
      startDate: string;
      endDate: string;
      startingAfter?: string;
      limit?: number;
    }) {
      const query = new URLSearchParams({ startDate: range.startDate, endDate: range.endDate });
      if (range.startingAfter) query.set('startingAfter', range.startingAfter);
      if (range.limit) query.set('limit', String(range.limit));
      return call({ operation: 'transactions', httpMethod: 'GET', path: `/v1/transactions?${query}` });
    },
  };
}

/**
 * One log line and the metrics per exchange: what was asked and what came back, never the secret key,
 * the Authorization header or a body (a confirm's body is the amount; a payment's may hold card data).
 */
function noteExchange(
  exchange: TossExchangeStart,
  result: TossResult<unknown>['kind'],
  outcome: { status?: number; code?: string; error?: string },
  startedAt: number,
) {
  const seconds = secondsSince(startedAt);
  tossRequests.inc({ operation: exchange.operation, result });
  tossRequestDuration.observe({ operation: exchange.operation }, seconds);
  const line = {
    event: 'toss_exchange',
    operation: exchange.operation,
    method: exchange.httpMethod,
    path: exchange.path.split('?')[0],
    status: outcome.status,
    code: outcome.code,
    error: outcome.error,
    result,
    durationMs: Math.round(seconds * 1000),
    orderId: exchange.orderId,
    idempotencyKey: exchange.idempotencyKey,
  };
  // A refusal (a declined card) is business as usual; an exchange without a clear answer is not.
  if (result === 'unknown') logger.warn(line, 'toss exchange');
  else logger.info(line, 'toss exchange');
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function networkCause(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
