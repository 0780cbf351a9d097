import { type AdminActor, recordAdminAction } from '../../building-blocks/audit/admin-action.repository';
import { DomainError } from '../../building-blocks/errors/domain-error';
import { findOrder } from '../../building-blocks/order/order.repository';
import { UNSETTLED } from '../card/recheck-order';
import { recoverOrder } from '../card/recover-order';
import { toOrderView } from '../orders/own-orders';
import type { RecoveryDeps } from '../payment-deps';

/**
 * "토스에 다시 확인" on the operator's payment page: the janitor's recovery for one order, now, on any
 * learner's order (the learner's own button does the same for their orders). An order already settled is
 * answered as it stands, without calling Toss, and nothing is logged. When Toss was asked, the audit log
 * records who asked and what the status was before and after; the recovery commits its own changes, so
 * the log row follows it (a crash in between loses the row, never the recovery).
 */
export async function recheckPayment(deps: RecoveryDeps, admin: AdminActor, orderId: string) {
  const before = await findOrder(deps.db, orderId);
  if (!before) throw new DomainError('ORDER_NOT_FOUND');
  if (!UNSETTLED.includes(before.status)) return { order: toOrderView(before), askedToss: false };
  await recoverOrder(deps, before.id);
  const after = (await findOrder(deps.db, before.id)) ?? before;
  await deps.db.$transaction((tx) =>
    recordAdminAction(tx, {
      admin,
      action: 'ORDER_RECHECK',
      subjectType: 'ORDER',
      subjectId: before.id,
      details: { statusBefore: before.status, statusAfter: after.status },
    }),
  );
  return { order: toOrderView(after), askedToss: true };
}
