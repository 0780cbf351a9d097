-- Composite payment (issue 13), first part: a hold on the balance. Part of a course is paid from the
-- wallet and the rest by card; the wallet part is held (reserved) before the card is asked and is then
-- captured (taken) or voided (released) exactly once. What can be spent is the balance minus what is held.
--
-- wallet.held: won reserved by open holds, always within 0..balance (the CHECK). Every move of the
-- balance keeps balance >= held, so a debit can only spend what is available: balance - held.

-- AlterTable
ALTER TABLE "wallet" ADD COLUMN "held" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "wallet" ADD CONSTRAINT "wallet_held_within_balance" CHECK ("held" >= 0 AND "held" <= "balance");

-- CreateEnum
CREATE TYPE "wallet_hold_status" AS ENUM ('PENDING', 'CONFIRMING', 'CAPTURED', 'VOIDED');

-- One hold per order: PENDING while the learner is at checkout, CONFIRMING once Toss is being asked
-- (nothing may void it then: Toss may approve), then CAPTURED with the card's approval or VOIDED.
-- CreateTable
CREATE TABLE "wallet_hold" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "wallet_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "order_id" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "status" "wallet_hold_status" NOT NULL DEFAULT 'PENDING',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "wallet_hold_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "wallet_hold_amount_positive" CHECK ("amount" > 0),
    CONSTRAINT "wallet_hold_resolved_when_final"
      CHECK (("status" IN ('CAPTURED', 'VOIDED')) = ("resolved_at" IS NOT NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "wallet_hold_order_id_key" ON "wallet_hold"("order_id");
CREATE INDEX "wallet_hold_wallet_id_status_idx" ON "wallet_hold"("wallet_id", "status");
CREATE INDEX "wallet_hold_status_expires_at_idx" ON "wallet_hold"("status", "expires_at");

-- AddForeignKey
ALTER TABLE "wallet_hold" ADD CONSTRAINT "wallet_hold_wallet_id_fkey" FOREIGN KEY ("wallet_id") REFERENCES "wallet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "wallet_hold" ADD CONSTRAINT "wallet_hold_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "wallet_hold" ADD CONSTRAINT "wallet_hold_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The order's wallet part (0 for an order paid wholly one way); the card pays amount - wallet_amount.
-- AlterTable
ALTER TABLE "orders" ADD COLUMN "wallet_amount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "orders" ADD CONSTRAINT "orders_wallet_amount_within"
  CHECK ("wallet_amount" >= 0 AND "wallet_amount" <= "amount");

-- wallet_change_once as before, with one change: a debit may not go below what is held
-- ("balance" + p_amount BETWEEN "held" AND 100000, was BETWEEN 0 AND 100000).
CREATE OR REPLACE FUNCTION "wallet_change_once"(
    p_user_id uuid,
    p_request_id text,
    p_operation text,
    p_request_hash text,
    p_type "wallet_transaction_type",
    p_amount integer,
    p_refusal text
) RETURNS TABLE (
    claimed boolean,
    outcome "idempotency_outcome",
    request_hash text,
    refusal_reason text,
    transaction_id uuid,
    wallet_id uuid,
    type "wallet_transaction_type",
    amount integer,
    balance_after integer,
    created_at timestamptz
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_key uuid;
    v_wallet uuid;
    v_balance integer;
    v_entry uuid;
    v_created timestamptz;
BEGIN
    -- A charge never waits on a lock for long (the interactive path has Prisma's 20 s limit): past
    -- this, the statement fails and rolls back whole, and the caller may retry with the same key.
    PERFORM set_config('lock_timeout', '20s', true);

    INSERT INTO "idempotency_key" ("user_id", "request_id", "operation", "request_hash")
    VALUES (p_user_id, p_request_id, p_operation, p_request_hash)
    ON CONFLICT ("user_id", "request_id") DO NOTHING
    RETURNING "id" INTO v_key;

    IF v_key IS NULL THEN
        RETURN QUERY
        SELECT false, k."outcome", k."request_hash", k."refusal_reason", t."id", t."wallet_id", t."type",
               t."amount", t."balance_after", t."created_at"
          FROM "idempotency_key" k
          LEFT JOIN "wallet_transaction" t ON t."id" = k."transaction_id"
         WHERE k."user_id" = p_user_id AND k."request_id" = p_request_id;
        RETURN;
    END IF;

    FOR attempt IN 1..2 LOOP
        UPDATE "wallet"
           SET "balance" = "balance" + p_amount, "updated_at" = now()
         WHERE "user_id" = p_user_id
           AND "balance" + p_amount BETWEEN "held" AND 100000
        RETURNING "id", "balance" INTO v_wallet, v_balance;
        EXIT WHEN v_wallet IS NOT NULL OR attempt = 2;
        -- No row matched: the change is out of bounds, or the user has no wallet yet, or another
        -- transaction is creating it right now. Create it if missing; ON CONFLICT waits for a concurrent
        -- creator to commit, so the second UPDATE (a fresh snapshot) sees the wallet whoever made it.
        -- (Checking for the wallet instead would race: it can be committed between the two statements.)
        INSERT INTO "wallet" ("user_id") VALUES (p_user_id) ON CONFLICT ("user_id") DO NOTHING;
    END LOOP;

    IF v_wallet IS NULL THEN
        UPDATE "idempotency_key" SET "outcome" = 'REFUSED', "refusal_reason" = p_refusal WHERE "id" = v_key;
        RETURN QUERY SELECT true, 'REFUSED'::"idempotency_outcome", p_request_hash, p_refusal,
                            NULL::uuid, NULL::uuid, NULL::"wallet_transaction_type", NULL::integer, NULL::integer,
                            NULL::timestamptz;
        RETURN;
    END IF;

    INSERT INTO "wallet_transaction" ("wallet_id", "user_id", "type", "amount", "balance_after", "request_id")
    VALUES (v_wallet, p_user_id, p_type, p_amount, v_balance, p_request_id)
    RETURNING "id", "created_at" INTO v_entry, v_created;

    UPDATE "idempotency_key" SET "outcome" = 'SUCCEEDED', "transaction_id" = v_entry WHERE "id" = v_key;

    RETURN QUERY SELECT true, 'SUCCEEDED'::"idempotency_outcome", p_request_hash, NULL::text,
                        v_entry, v_wallet, p_type, p_amount, v_balance, v_created;
END;
$$;
