import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
import { signRequest } from '../../building-blocks/service-auth/signature';
import { MAX_BATCH_CALLS } from './batch-limit';
import type { AppRouter } from './router';

/**
 * A typed client for other TypeScript services:
 *
 *   const payments = createPaymentClient({ baseUrl: 'https://payments.example', token });
 *   const { balance } = await payments.wallet.charge.mutate({ amount: 5000, requestId: crypto.randomUUID() });
 *
 * `token` is what auth.signIn returns; it is sent as `Authorization: Bearer <token>`.
 */
export function createPaymentClient(options: {
  baseUrl: string;
  token?: string | (() => string | undefined);
}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl.replace(/\/$/, '')}/api/trpc`,
        transformer: superjson,
        maxItems: MAX_BATCH_CALLS,
        headers: () => {
          const token = typeof options.token === 'function' ? options.token() : options.token;
          return token ? { authorization: `Bearer ${token}` } : {};
        },
      }),
    ],
  });
}

export type PaymentClient = ReturnType<typeof createPaymentClient>;

/**
 * A typed client for another service, with a service key (`npm run service-key -- create`):
 *
 *   const payments = createServiceClient({ url: 'https://payments.example', keyId, secret });
 *   const order = await payments.service.orders.create.mutate({
 *     userEmail: 'learner@example.com', type: 'COURSE', courseId, requestId: crypto.randomUUID(),
 *   });
 *
 * Every HTTP request it sends (one call or a batch) is signed in its `fetch`: X-Pay-Key-Id,
 * X-Pay-Timestamp, a fresh X-Pay-Nonce and X-Pay-Signature over the method, path with query, timestamp,
 * nonce and the body's SHA-256 (the README's "Service API").
 */
export function createServiceClient(options: { url: string; keyId: string; secret: string }) {
  const credentials = { keyId: options.keyId, secret: options.secret };
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.url.replace(/\/$/, '')}/api/trpc`,
        transformer: superjson,
        maxItems: MAX_BATCH_CALLS,
        fetch: (input, init) => {
          const url = new URL(input instanceof Request ? input.url : String(input));
          const body = typeof init?.body === 'string' ? init.body : '';
          const headers = new Headers(init?.headers);
          const signed = signRequest(credentials, {
            method: init?.method ?? 'GET',
            pathWithQuery: `${url.pathname}${url.search}`,
            body,
          });
          for (const [name, value] of Object.entries(signed)) headers.set(name, value);
          return fetch(url, { ...init, headers });
        },
      }),
    ],
  });
}

export type ServiceClient = ReturnType<typeof createServiceClient>;

/**
 * Signed checkout links (the README's "Signed checkout links"): a service with `orders:write` sends the
 * learner straight to checkout, no call to us first:
 *
 *   const url = checkoutLink('https://payments.example', { keyId, secret }, {
 *     reference: 'order-7f3a', userEmail: 'learner@example.com', type: 'COURSE', courseId,
 *   }); // https://payments.example/checkout?intent=<payload>.<signature>, valid an hour
 */
export {
  type CheckoutIntentFields,
  checkoutLink,
  signCheckoutIntent,
} from '../../building-blocks/service-auth/checkout-intent';

/** The domain reason of a failed call (`INSUFFICIENT_BALANCE`, `INVALID_INPUT`, ...), if any. */
export function errorReason(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data = error.data as { reason?: unknown } | undefined;
    return typeof data?.reason === 'string' ? data.reason : undefined;
  }
  return undefined;
}

export type { AppRouter };
