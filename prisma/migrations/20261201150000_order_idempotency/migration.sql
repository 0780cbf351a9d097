-- Composite payment (issue 13): an order that holds part of the wallet is a money mutation, so it is
-- made once per (user, requestId) like every other one. The learner's idempotency key records the order
-- it opened (as it records the ledger entry of a charge or a balance payment): the same request sent
-- again gets that order back, with its hold, instead of a second order and a second hold.

-- AlterTable
ALTER TABLE "idempotency_key" ADD COLUMN "order_id" TEXT;

-- AddForeignKey
ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
