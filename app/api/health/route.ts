import { db } from '@/server/db/client';
import { checkHealth } from '@/server/health';

export const dynamic = 'force-dynamic';

/** 200 when the database answers, 503 when it cannot be reached. */
export async function GET() {
  const health = await checkHealth(db());
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
}
