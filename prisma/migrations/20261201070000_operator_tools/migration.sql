-- The operator's tools: an audit log of every admin action, wallet adjustments through the ledger,
-- courses an admin can retire, and alerts an admin acknowledges and resolves (who, when, a note).

-- A balance change an admin made by hand, with a reason in the audit log. Not used in this migration:
-- PostgreSQL lets a new enum value be used only once the transaction that added it has committed.
-- AlterEnum
ALTER TYPE "wallet_transaction_type" ADD VALUE 'ADJUSTMENT';

-- An adjustment goes either way (a credit or a debit); it is never zero (wallet_transaction_amount_nonzero).
-- The type is compared as text: the new value cannot be named as an enum constant in this transaction.
ALTER TABLE "wallet_transaction" DROP CONSTRAINT "wallet_transaction_sign_matches_type";
ALTER TABLE "wallet_transaction" ADD CONSTRAINT "wallet_transaction_sign_matches_type"
    CHECK ((("type"::text IN ('CHARGE', 'REFUND')) AND "amount" > 0)
        OR (("type"::text IN ('PAYMENT', 'CHARGE_CANCEL')) AND "amount" < 0)
        OR ("type"::text = 'ADJUSTMENT' AND "amount" <> 0));

-- CreateEnum
CREATE TYPE "admin_action_kind" AS ENUM ('WALLET_ADJUSTMENT', 'COURSE_CREATE', 'COURSE_UPDATE', 'COURSE_RETIRE', 'ALERT_ACKNOWLEDGE', 'ALERT_RESOLVE');

-- CreateTable
CREATE TABLE "admin_action" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "admin_id" UUID NOT NULL,
    "admin_email" TEXT NOT NULL,
    "action" "admin_action_kind" NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_action_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "admin_action_created_at_idx" ON "admin_action"("created_at");

-- CreateIndex
CREATE INDEX "admin_action_action_created_at_idx" ON "admin_action"("action", "created_at");

-- CreateIndex
CREATE INDEX "admin_action_subject_id_created_at_idx" ON "admin_action"("subject_id", "created_at");

-- AddForeignKey
ALTER TABLE "admin_action" ADD CONSTRAINT "admin_action_admin_id_fkey" FOREIGN KEY ("admin_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "admin_action" ADD CONSTRAINT "admin_action_subject_type_known"
  CHECK ("subject_type" IN ('ORDER', 'USER', 'COURSE', 'ALERT'));

-- The audit log is append-only, like the ledger and role_change: no row is changed or removed, and the
-- table is never emptied.
CREATE FUNCTION admin_action_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'admin_action is append-only';
END;
$$;
CREATE TRIGGER admin_action_append_only BEFORE UPDATE OR DELETE ON "admin_action"
  FOR EACH ROW EXECUTE FUNCTION admin_action_append_only();
CREATE TRIGGER admin_action_no_truncate BEFORE TRUNCATE ON "admin_action"
  FOR EACH STATEMENT EXECUTE FUNCTION admin_action_append_only();

-- A retired course stays in old orders and history and cannot be bought.
-- AlterTable
ALTER TABLE "course" ADD COLUMN "retired_at" TIMESTAMPTZ(3);

-- Who acknowledged and who resolved an alert, when, and what they wrote.
-- AlterTable
ALTER TABLE "operator_alert" ADD COLUMN "acknowledged_at" TIMESTAMPTZ(3),
ADD COLUMN "acknowledged_by" UUID,
ADD COLUMN "acknowledge_note" TEXT,
ADD COLUMN "resolved_by" UUID,
ADD COLUMN "resolution_note" TEXT;

-- CreateIndex
CREATE INDEX "operator_alert_created_at_idx" ON "operator_alert"("created_at");

-- AddForeignKey
ALTER TABLE "operator_alert" ADD CONSTRAINT "operator_alert_acknowledged_by_fkey" FOREIGN KEY ("acknowledged_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operator_alert" ADD CONSTRAINT "operator_alert_resolved_by_fkey" FOREIGN KEY ("resolved_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
