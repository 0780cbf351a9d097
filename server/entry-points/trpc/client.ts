import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import superjson from 'superjson';
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

/** The domain reason of a failed call (`INSUFFICIENT_BALANCE`, `INVALID_INPUT`, ...), if any. */
export function errorReason(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) {
    const data = error.data as { reason?: unknown } | undefined;
    return typeof data?.reason === 'string' ? data.reason : undefined;
  }
  return undefined;
}

export type { AppRouter };
