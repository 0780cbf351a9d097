import { db } from '@/server/db/client';
import { handleSandboxRequest } from '@/server/toss/sandbox/sandbox-handler';
import { tossConfig } from '@/server/toss/toss-config';

export const dynamic = 'force-dynamic';

/** The offline Toss sandbox; it does not exist (404) once real Toss keys are configured. */
function handler(req: Request) {
  const config = tossConfig();
  if (!config.sandbox) return new Response('Not Found', { status: 404 });
  return handleSandboxRequest(req, {
    db: db(),
    secretKey: config.secretKey,
    confirmWindowMs: config.confirmWindowMs,
    webhookUrl: config.sandboxWebhookUrl,
  });
}

export { handler as DELETE, handler as GET, handler as POST };
