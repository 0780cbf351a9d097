import { z } from 'zod';
import { deleteAllFaults, type Fault, insertFault, type SandboxDb, takeMatchingFault } from './sandbox-store';

/** Faults tests inject into the sandbox: slow answers, errors, dropped connections. */

export const faultInput = z.object({
  match: z.object({ path: z.string().min(1).optional(), orderId: z.string().min(1).optional() }).default({}),
  action: z.enum(['delay', 'error', 'reset', 'drop-response']),
  ms: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(400).max(599).optional(),
  code: z.string().min(1).max(100).optional(),
  times: z.number().int().min(1).optional(),
});

export type { Fault };

export async function addFault(db: SandboxDb, input: z.infer<typeof faultInput>) {
  return insertFault(db, {
    // Paths are matched below the sandbox's prefix; accept them with it too.
    matchPath: input.match.path?.replace(/^\/api\/toss-sandbox(?=\/)/, '') ?? null,
    matchOrderId: input.match.orderId ?? null,
    action: input.action,
    ms: input.ms ?? null,
    status: input.status ?? null,
    code: input.code ?? null,
    remaining: input.times ?? null,
  });
}

export async function clearFaults(db: SandboxDb) {
  await deleteAllFaults(db);
}

/** The oldest fault matching this request, one of its `times` used (see takeMatchingFault). */
export async function takeFault(
  db: SandboxDb,
  path: string,
  orderId: string | undefined,
): Promise<Fault | null> {
  return takeMatchingFault(db, path, orderId ?? null);
}
