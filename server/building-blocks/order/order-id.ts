import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/**
 * A new orderId: a ULID (26 characters of [0-9A-Z]), so ids sort by creation time, need no
 * coordination between app instances, and fit Toss's orderId rule (6-64 of [A-Za-z0-9_-]).
 */
export function newOrderId(): string {
  return nextUlid();
}
