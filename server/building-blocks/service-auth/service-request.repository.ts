import type { Tx } from '../db/client';

/**
 * service_request: a service's mutation once per (key, requestId), with its fingerprint and the id of
 * what it made. A transaction first takes the (key, requestId) lock, so a concurrent duplicate waits
 * until the first commits and then finds its row.
 */

/** Holds the (key, requestId) lock until `tx` ends. */
export async function lockServiceRequest(tx: Tx, serviceKeyId: string, requestId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`service-request:${serviceKeyId}:${requestId}`}, 0))`;
}

export function findServiceRequest(tx: Tx, serviceKeyId: string, requestId: string) {
  return tx.serviceRequest.findUnique({
    where: { serviceKeyId_requestId: { serviceKeyId, requestId } },
    select: { operation: true, requestHash: true, subjectId: true },
  });
}

export async function insertServiceRequest(
  tx: Tx,
  row: { serviceKeyId: string; requestId: string; operation: string; requestHash: string; subjectId: string },
): Promise<void> {
  await tx.serviceRequest.create({ data: row, select: { requestId: true } });
}
