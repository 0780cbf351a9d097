import { db } from '../building-blocks/db/client';
import { env } from '../building-blocks/env';
import type { TossConfig } from '../building-blocks/toss/toss-config';
import type { ApiDeps, SandboxEndpoint } from './http/api';
import { appTossClient } from './toss-gateway';

/**
 * The one place the API's dependencies are built from the validated environment. `sandbox`: the mounted
 * offline Toss in sandbox mode (server/entry-points/sandbox-mount.ts), else null.
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
    toss: appTossClient(),
    mode: toss.mode,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    waitForConfirmMs: toss.readTimeoutMs + 5_000,
    staleConfirmingMs: staleConfirmingMs(toss),
    sandbox,
  };
}

/** A CONFIRMING order older than Toss's read timeout (plus margin) was abandoned by a crashed process. */
export function staleConfirmingMs(toss: TossConfig): number {
  return toss.readTimeoutMs + 15_000;
}
