import type { Db, Tx } from '../../building-blocks/db/client';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { requestHash } from '../../building-blocks/idempotency/request-hash';
import { MONEY_TRANSACTION_OPTIONS } from '../../building-blocks/idempotency/run-idempotent';
import {
  findServiceRequest,
  insertServiceRequest,
  lockServiceRequest,
} from '../../building-blocks/service-auth/service-request.repository';

/**
 * A service's mutation happens once per (key, requestId), as a learner's does per (user, requestId):
 * the same request sent again gets what the first made, as it now stands; another request with the same
 * requestId is IDEMPOTENCY_KEY_REUSED. The effect and its record commit together; a refusal records
 * nothing, so a retry after the cause is gone (a course no longer owned, say) is judged afresh.
 */
export async function runServiceRequest<T>(
  db: Db,
  request: {
    serviceKeyId: string;
    requestId: string;
    operation: string;
    payload: Record<string, string | number | boolean | null | undefined>;
  },
  effect: (tx: Tx) => Promise<{ subjectId: string; value: T }>,
  replay: (tx: Tx, subjectId: string) => Promise<T>,
): Promise<T> {
  const hash = requestHash(request.operation, request.payload);
  return db.$transaction(async (tx) => {
    await lockServiceRequest(tx, request.serviceKeyId, request.requestId);
    const earlier = await findServiceRequest(tx, request.serviceKeyId, request.requestId);
    if (earlier) {
      if (earlier.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
      return replay(tx, earlier.subjectId);
    }
    const { subjectId, value } = await effect(tx);
    await insertServiceRequest(tx, {
      serviceKeyId: request.serviceKeyId,
      requestId: request.requestId,
      operation: request.operation,
      requestHash: hash,
      subjectId,
    });
    return value;
  }, MONEY_TRANSACTION_OPTIONS);
}
