import { z } from 'zod';
import type { Db } from '../building-blocks/db/client';

/** Faults tests inject into the sandbox: slow answers, errors, dropped connections. */

export const faultInput = z.object({
  match: z.object({ path: z.string().min(1).optional(), orderId: z.string().min(1).optional() }).default({}),
  action: z.enum(['delay', 'error', 'reset', 'drop-response']),
  ms: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(400).max(599).optional(),
  code: z.string().min(1).max(100).optional(),
  times: z.number().int().min(1).optional(),
});

export type FaultAction = z.infer<typeof faultInput>['action'];

export interface Fault {
  action: FaultAction;
  ms: number | null;
  status: number | null;
  code: string | null;
}

export async function addFault(db: Db, input: z.infer<typeof faultInput>) {
  return db.tossSandboxFault.create({
    data: {
      // Paths are matched below the sandbox's prefix; accept them with it too.
      matchPath: input.match.path?.replace(/^\/api\/toss-sandbox(?=\/)/, '') ?? null,
      matchOrderId: input.match.orderId ?? null,
      action: input.action,
      ms: input.ms ?? null,
      status: input.status ?? null,
      code: input.code ?? null,
      remaining: input.times ?? null,
    },
    select: { id: true },
  });
}

export async function clearFaults(db: Db) {
  await db.tossSandboxFault.deleteMany({});
}

/**
 * Takes the oldest fault matching this request, using one of its `times` atomically (so two concurrent
 * requests cannot both use the last one). A path matches when it equals the request path or is a prefix
 * of it.
 */
export async function takeFault(db: Db, path: string, orderId: string | undefined): Promise<Fault | null> {
  const rows = await db.$queryRaw<Fault[]>`
    UPDATE toss_sandbox_fault SET remaining = remaining - 1
     WHERE id = (
       SELECT id FROM toss_sandbox_fault
        WHERE (match_path IS NULL OR ${path} = match_path OR ${path} LIKE match_path || '%')
          AND (match_order_id IS NULL OR match_order_id = ${orderId ?? null})
          AND (remaining IS NULL OR remaining > 0)
        ORDER BY created_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING action, ms, status, code`;
  await db.$executeRaw`DELETE FROM toss_sandbox_fault WHERE remaining = 0`;
  return rows[0] ?? null;
}
