import PgBoss from 'pg-boss';
import { raiseAlert } from '../building-blocks/alert/operator-alert.repository';
import type { Db } from '../building-blocks/db/client';
import { withLogScope } from '../building-blocks/log';
import {
  invariantViolations,
  janitorFailures,
  janitorRecoveries,
  janitorRuns,
} from '../building-blocks/metrics';
import { findOrder } from '../building-blocks/order/order.repository';
import type { TossClient } from '../building-blocks/toss/toss-client';
import { checkInvariants } from '../use-cases/admin/invariants';
import { expireHolds } from '../use-cases/card/expire-holds';
import { ordersNeedingRecovery, recoverOrder } from '../use-cases/card/recover-order';
import { retryRefundsInDoubt } from '../use-cases/refund/refund-at-toss';
import { processPendingDeliveries } from '../use-cases/webhook/process-webhook';

/**
 * Runs the janitor as a durable job queue in PostgreSQL (pg-boss): one `recover-order` job per order
 * in doubt, retried with exponential backoff, surviving restarts (the jobs are rows). A sweep every
 * RECOVERY_INTERVAL_MS enqueues every order that needs recovery, so nothing is missed even when a
 * process died before it could enqueue. Several app instances may run it at once: pg-boss hands a job
 * to one worker (SKIP LOCKED), its `stately` policy keeps one queued job per order, and the claim in
 * recoverOrder is a conditional UPDATE besides.
 */

export const RECOVERY_QUEUE = 'recover-order';

export interface RecoveryWorkerOptions {
  databaseUrl: string;
  db: Db;
  toss: TossClient;
  intervalMs: number;
  giveUpMs: number;
  /** How long a confirm may take (the Toss read timeout plus a margin). */
  staleConfirmingMs: number;
  /** How often the books' invariants are checked (violations are reported in the log, never fixed). */
  invariantCheckIntervalMs?: number;
  log: (line: string) => void;
}

export interface RecoveryWorker {
  enqueue: (orderId: string) => Promise<void>;
  sweep: () => Promise<void>;
  stop: () => Promise<void>;
}

/** Counts a run of one of the janitor's tasks, and its failure (a throw, passed on) for the metrics. */
async function counted<T>(task: 'sweep' | 'recover_order' | 'invariant_check', run: () => Promise<T>) {
  janitorRuns.inc({ task });
  try {
    return await run();
  } catch (error) {
    janitorFailures.inc({ task });
    throw error;
  }
}

export async function startRecoveryWorker(options: RecoveryWorkerOptions): Promise<RecoveryWorker> {
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: 'pgboss',
    schedule: false,
    max: 4,
  });
  boss.on('error', (error) => options.log(`recovery queue error: ${String(error)}`));
  await boss.start();
  await boss.createQueue(RECOVERY_QUEUE, {
    name: RECOVERY_QUEUE,
    policy: 'stately',
    retryLimit: 12,
    retryDelay: 1,
    retryBackoff: true,
  });

  const deps = {
    db: options.db,
    toss: options.toss,
    waitForConfirmMs: 0,
    staleConfirmingMs: options.staleConfirmingMs,
  };

  await boss.work<{ orderId: string }>(
    RECOVERY_QUEUE,
    { pollingIntervalSeconds: Math.max(0.5, Math.min(options.intervalMs, 5_000) / 1000) },
    async ([job]) => {
      if (!job) return;
      const { orderId } = job.data;
      const outcome = await withLogScope({ orderId }, () =>
        counted('recover_order', () => recoverOrder(deps, orderId)),
      );
      janitorRecoveries.inc({ outcome });
      if (outcome !== 'still-unknown') {
        if (outcome === 'settled') options.log(`recovered order ${orderId}`);
        return;
      }
      const order = await findOrder(options.db, orderId);
      if (order && Date.now() - order.createdAt.getTime() > options.giveUpMs) {
        await raiseAlert(
          options.db,
          orderId,
          order.status === 'CANCEL_PENDING' ? 'CANCEL_NOT_CONFIRMED' : 'OUTCOME_UNKNOWN',
          `Still unsettled after ${Math.round(options.giveUpMs / 60_000)} minutes: ${order.failureMessage ?? order.status}`,
        );
      }
      throw new Error(`order ${orderId} is still unsettled; retrying with backoff`);
    },
  );

  const enqueue = async (orderId: string) => {
    await boss.send(RECOVERY_QUEUE, { orderId }, { singletonKey: orderId });
  };
  const sweep = () =>
    counted('sweep', async () => {
      for (const orderId of await ordersNeedingRecovery(options.db, options.staleConfirmingMs))
        await enqueue(orderId);
      await retryRefundsInDoubt(deps, { staleMs: options.staleConfirmingMs, giveUpMs: options.giveUpMs });
      await expireHolds(deps);
      await processPendingDeliveries(deps);
    });
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep()
      .catch((error) => options.log(`recovery sweep failed: ${String(error)}`))
      .finally(() => {
        sweeping = false;
      });
  }, options.intervalMs);
  await sweep();

  const invariantTimer = setInterval(() => {
    counted('invariant_check', () => checkInvariants(options.db))
      .then((violations) => {
        invariantViolations.set(violations.length);
        for (const v of violations) options.log(`INVARIANT VIOLATED ${v.rule} ${v.subject}: ${v.detail}`);
      })
      .catch((error) => options.log(`invariant check failed: ${String(error)}`));
  }, options.invariantCheckIntervalMs ?? 3_600_000);

  return {
    enqueue,
    sweep,
    stop: async () => {
      clearInterval(timer);
      clearInterval(invariantTimer);
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    },
  };
}
