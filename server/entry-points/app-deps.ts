import { sealingKey } from '../building-blocks/crypto/sealing-key';
import { type Db, db } from '../building-blocks/db/client';
import { env } from '../building-blocks/env';
import { tossExchangeRecorder } from '../building-blocks/payment/payment.repository';
import { createTossClient } from '../building-blocks/toss/toss-client';
import type { TossConfig } from '../building-blocks/toss/toss-config';
import type { ApiDeps, SandboxEndpoint } from './http/api';

/**
 * The one place the app's dependencies are built from the validated environment: the database, the
 * Toss client, the auth settings and the timeouts. Every entry point (the HTTP server, the janitor,
 * the CLIs) takes them from here. `sandbox`: the mounted offline Toss in sandbox mode
 * (server/entry-points/sandbox-mount.ts), else null.
 */
export function apiDepsFromEnv(toss: TossConfig, sandbox: SandboxEndpoint | null): ApiDeps {
  const config = env();
  return {
    db: db(),
    auth: {
      sessionSecret: config.SESSION_SECRET,
      sessionTtlHours: config.SESSION_TTL_HOURS,
      rateLimitPerAccount: config.AUTH_RATE_LIMIT_PER_ACCOUNT,
      rateLimitPerAddress: config.AUTH_RATE_LIMIT_PER_ADDRESS,
    },
    toss: appTossClient(db(), toss),
    mode: toss.mode,
    sealingKey: sealingKey(),
    trustProxyHops: config.TRUST_PROXY_HOPS,
    metricsToken: config.METRICS_TOKEN,
    publicUrl: config.PUBLIC_URL ?? null,
    ...paymentTimeouts(toss),
    sandbox,
  };
}

/** The app's Toss client: the real API when keys are configured, otherwise the sandbox over HTTP. */
export function appTossClient(database: Db, toss: TossConfig) {
  return createTossClient({
    baseUrl: toss.apiBase,
    secretKey: toss.secretKey,
    readTimeoutMs: toss.readTimeoutMs,
    recorder: tossExchangeRecorder(database),
  });
}

/**
 * How long a confirm may wait for another one in flight (Toss's read timeout plus a margin), and when a
 * CONFIRMING order counts as abandoned by a crashed process (longer than any confirm can take).
 */
export function paymentTimeouts(toss: TossConfig) {
  return { waitForConfirmMs: toss.readTimeoutMs + 5_000, staleConfirmingMs: toss.readTimeoutMs + 15_000 };
}
