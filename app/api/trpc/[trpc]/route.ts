import { db } from '@/server/db/client';
import { env } from '@/server/env';
import { tossConfig } from '@/server/toss/toss-config';
import { appTossClient } from '@/server/toss/toss-gateway';
import { handleTrpcRequest } from '@/server/trpc/http-handler';

export const dynamic = 'force-dynamic';

function handler(req: Request) {
  return handleTrpcRequest(req, {
    db: db(),
    auth: {
      sessionSecret: env().SESSION_SECRET,
      sessionTtlHours: env().SESSION_TTL_HOURS,
      adminEmails: env().ADMIN_EMAILS,
      rateLimitPerAccount: env().AUTH_RATE_LIMIT_PER_ACCOUNT,
      rateLimitPerAddress: env().AUTH_RATE_LIMIT_PER_ADDRESS,
    },
    toss: appTossClient(),
    waitForConfirmMs: tossConfig().readTimeoutMs + 5_000,
    // No clientAddress: a route handler cannot see the socket, and X-Forwarded-For can be forged, so
    // only the per-account sign-in limit applies here.
  });
}

export { handler as GET, handler as POST };
