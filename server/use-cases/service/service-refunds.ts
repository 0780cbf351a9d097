import type { RecoveryDeps } from '../payment-deps';
import { cancelOrder } from '../refund/refund-order';
import type { ServiceCaller } from './authenticate-service';

/**
 * A service refunds as an admin may (any order, in full or in part, at any time), through the same
 * cancelOrder: the same reservation, the same REFUND_EXCEEDS_PAYMENT, the same requestId replay per
 * order. The refund's requester is the key's row id, so its requestIds are its own.
 */
export function refundServiceOrder(
  deps: RecoveryDeps,
  service: ServiceCaller,
  input: { orderId: string; reason: string; amount?: number; requestId: string },
) {
  return cancelOrder(deps, { id: service.id, admin: true, service: service.keyId }, input);
}
