import type { Db } from '../building-blocks/db/client';
import type { TossClient } from '../building-blocks/toss/toss-client';

/** What the card use cases need: the database, the Toss client and the timeouts (entry-points/app-deps.ts). */
export interface PaymentDeps {
  db: Db;
  toss: TossClient;
  /** How long a concurrent confirm waits for the one in progress before answering with its status. */
  waitForConfirmMs: number;
}

/** The janitor's, the webhooks' and the refunds' deps: they also settle orders a dead process left. */
export interface RecoveryDeps extends PaymentDeps {
  /** A CONFIRMING order older than this is considered abandoned by a crashed process. */
  staleConfirmingMs: number;
}
