import type { Db } from '../building-blocks/db/client';
import { type DispatchDeps, dispatchOnce } from '../use-cases/events/dispatch-events';

/**
 * Runs the outgoing-event dispatcher (server/use-cases/events/dispatch-events.ts) in this process: a pass
 * every `intervalMs`, and straight away again while a pass found work. Several app instances may run it
 * at once: the fan-out and the claims use FOR UPDATE SKIP LOCKED, so no attempt is sent twice at once.
 * Its state is all in PostgreSQL (outbox_event, event_delivery), so a restart loses nothing.
 */

export interface EventDispatcherOptions extends Omit<DispatchDeps, 'db'> {
  db: Db;
  intervalMs: number;
}

export interface EventDispatcher {
  /** One pass now (tests); resolves when it is done. */
  runOnce: () => Promise<{ fannedOut: number; attempts: number }>;
  /** Stops the loop and waits for the pass under way. */
  stop: () => Promise<void>;
}

export function startEventDispatcher(options: EventDispatcherOptions): EventDispatcher {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<unknown> = Promise.resolve();

  const pass = async () => {
    try {
      const result = await dispatchOnce(options);
      return result.fannedOut + result.attempts > 0;
    } catch (error) {
      options.log?.(`event dispatch failed: ${String(error)}`);
      return false;
    }
  };
  const loop = () => {
    if (stopped) return;
    const run = pass();
    current = run;
    run.then((busy) => {
      if (!stopped) timer = setTimeout(loop, busy ? 0 : options.intervalMs);
    });
  };
  timer = setTimeout(loop, 0);

  return {
    runOnce: () => dispatchOnce(options),
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
