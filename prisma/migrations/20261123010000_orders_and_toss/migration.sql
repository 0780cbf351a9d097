-- CreateEnum
CREATE TYPE "order_type" AS ENUM ('COURSE', 'CHARGE');

-- CreateEnum
CREATE TYPE "order_status" AS ENUM ('CREATED', 'CONFIRMING', 'IN_DOUBT', 'APPROVED', 'CANCEL_PENDING', 'FAILED', 'CANCELED');

-- CreateEnum
CREATE TYPE "payment_method" AS ENUM ('BALANCE', 'CARD');

-- AlterTable
ALTER TABLE "enrollment" ADD COLUMN "order_id" TEXT;

-- CreateTable
CREATE TABLE "orders" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "type" "order_type" NOT NULL,
    "course_id" UUID,
    "amount" INTEGER NOT NULL,
    "order_name" TEXT NOT NULL,
    "status" "order_status" NOT NULL DEFAULT 'CREATED',
    "method" "payment_method",
    "payment_key" TEXT,
    "approved_at" TIMESTAMPTZ(3),
    "failure_code" TEXT,
    "failure_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "order_id" TEXT NOT NULL,
    "method" "payment_method" NOT NULL,
    "amount" INTEGER NOT NULL,
    "payment_key" TEXT,
    "toss_method" TEXT,
    "toss_payment" JSONB,
    "approved_at" TIMESTAMPTZ(3) NOT NULL,
    "canceled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "toss_exchange" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "order_id" TEXT,
    "operation" TEXT NOT NULL,
    "http_method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "request_body" JSONB,
    "response_status" INTEGER,
    "response_code" TEXT,
    "response_body" JSONB,
    "error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "toss_exchange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "toss_sandbox_payment" (
    "payment_key" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "order_name" TEXT NOT NULL,
    "customer_key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "total_amount" INTEGER NOT NULL,
    "balance_amount" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "approved_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "failure_code" TEXT,
    "failure_message" TEXT,
    "cancels" JSONB NOT NULL DEFAULT '[]',
    "last_transaction_key" TEXT,

    CONSTRAINT "toss_sandbox_payment_pkey" PRIMARY KEY ("payment_key")
);

-- CreateTable
CREATE TABLE "toss_sandbox_transaction" (
    "transaction_key" TEXT NOT NULL,
    "payment_key" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "transaction_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "toss_sandbox_transaction_pkey" PRIMARY KEY ("transaction_key")
);

-- CreateTable
CREATE TABLE "toss_sandbox_idempotency" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "secret_key_hash" TEXT NOT NULL,
    "http_method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "response_status" INTEGER,
    "response_body" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "toss_sandbox_idempotency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "toss_sandbox_fault" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "match_path" TEXT,
    "match_order_id" TEXT,
    "action" TEXT NOT NULL,
    "ms" INTEGER,
    "status" INTEGER,
    "code" TEXT,
    "remaining" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "toss_sandbox_fault_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "enrollment_order_id_idx" ON "enrollment"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "orders_payment_key_key" ON "orders"("payment_key");

-- CreateIndex
CREATE INDEX "orders_user_id_created_at_idx" ON "orders"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "orders_status_idx" ON "orders"("status");

-- CreateIndex
CREATE UNIQUE INDEX "payment_order_id_key" ON "payment"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_payment_key_key" ON "payment"("payment_key");

-- CreateIndex
CREATE INDEX "toss_exchange_order_id_idx" ON "toss_exchange"("order_id");

-- CreateIndex
CREATE INDEX "toss_sandbox_payment_order_id_idx" ON "toss_sandbox_payment"("order_id");

-- CreateIndex
CREATE INDEX "toss_sandbox_transaction_transaction_at_idx" ON "toss_sandbox_transaction"("transaction_at");

-- CreateIndex
CREATE UNIQUE INDEX "toss_sandbox_idempotency_request_key" ON "toss_sandbox_idempotency"("key", "secret_key_hash", "http_method", "path");

-- AddForeignKey
ALTER TABLE "enrollment" ADD CONSTRAINT "enrollment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "wallet_transaction" ADD CONSTRAINT "wallet_transaction_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment" ADD CONSTRAINT "payment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "toss_exchange" ADD CONSTRAINT "toss_exchange_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Rules Prisma's schema cannot express.
ALTER TABLE "orders" ADD CONSTRAINT "orders_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "orders" ADD CONSTRAINT "orders_id_format" CHECK ("id" ~ '^[A-Za-z0-9_-]{6,64}$');
ALTER TABLE "orders" ADD CONSTRAINT "orders_type_matches_target"
    CHECK (("type" = 'COURSE' AND "course_id" IS NOT NULL) OR ("type" = 'CHARGE' AND "course_id" IS NULL));
ALTER TABLE "orders" ADD CONSTRAINT "orders_charge_within_limit" CHECK ("type" <> 'CHARGE' OR "amount" <= 100000);
ALTER TABLE "payment" ADD CONSTRAINT "payment_amount_positive" CHECK ("amount" > 0);
