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
    },
    toss: appTossClient(),
    waitForConfirmMs: tossConfig().readTimeoutMs + 5_000,
  });
}

export { handler as GET, handler as POST };
