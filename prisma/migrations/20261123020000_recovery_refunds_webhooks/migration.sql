-- AlterEnum
ALTER TYPE "wallet_transaction_type" ADD VALUE 'REFUND';
ALTER TYPE "wallet_transaction_type" ADD VALUE 'CHARGE_CANCEL';

-- AlterEnum
ALTER TYPE "order_status" ADD VALUE 'PARTIALLY_CANCELED';

-- CreateEnum
CREATE TYPE "refund_status" AS ENUM ('REQUESTED', 'DONE', 'FAILED', 'IN_DOUBT');

-- AlterTable
ALTER TABLE "orders" ADD COLUMN "refunded_amount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "refund" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "order_id" TEXT NOT NULL,
    "requested_by" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "refund_status" NOT NULL DEFAULT 'REQUESTED',
    "method" "payment_method" NOT NULL,
    "destination" TEXT NOT NULL,
    "failure_code" TEXT,
    "failure_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operator_alert" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "order_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "operator_alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "transmission_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "order_id" TEXT,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "toss_sandbox_webhook" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "transmission_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "toss_sandbox_webhook_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "refund_status_idx" ON "refund"("status");

-- CreateIndex
CREATE UNIQUE INDEX "refund_order_id_request_id_key" ON "refund"("order_id", "request_id");

-- CreateIndex
CREATE UNIQUE INDEX "operator_alert_order_id_kind_key" ON "operator_alert"("order_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_transmission_id_key" ON "webhook_delivery"("transmission_id");

-- CreateIndex
CREATE UNIQUE INDEX "toss_sandbox_webhook_transmission_id_key" ON "toss_sandbox_webhook"("transmission_id");

-- CreateIndex
CREATE INDEX "toss_sandbox_webhook_delivered_at_next_attempt_at_idx" ON "toss_sandbox_webhook"("delivered_at", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "refund" ADD CONSTRAINT "refund_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operator_alert" ADD CONSTRAINT "operator_alert_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rules Prisma's schema cannot express. (New enum values cannot be used in this same transaction,
-- so the ledger's sign rule compares the type as text.)
ALTER TABLE "orders" ADD CONSTRAINT "orders_refund_within_amount" CHECK ("refunded_amount" BETWEEN 0 AND "amount");
ALTER TABLE "refund" ADD CONSTRAINT "refund_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "wallet_transaction" DROP CONSTRAINT "wallet_transaction_sign_matches_type";
ALTER TABLE "wallet_transaction" ADD CONSTRAINT "wallet_transaction_sign_matches_type"
    CHECK ((("type"::text IN ('CHARGE', 'REFUND')) AND "amount" > 0)
        OR (("type"::text IN ('PAYMENT', 'CHARGE_CANCEL')) AND "amount" < 0));
