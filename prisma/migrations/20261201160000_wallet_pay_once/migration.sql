-- wallet.pay in one SQL statement (issue 14), for the `atomic` balance strategy: the purchase the
-- interactive path (server/use-cases/wallet/pay-with-balance.ts) makes in several round trips, in one
-- call and one transaction. It writes exactly the rows that path writes: the idempotency key and its
-- outcome, the order (APPROVED, method BALANCE), its enrollment, the debit, the payment record and the
-- PAYMENT ledger row. The outgoing events (order.approved, course.purchased, wallet.changed) come from
-- the same deferred triggers on those tables, so they are the same too. A refusal leaves only the key
-- with its refusal, as there.
--
-- It returns the key's row as it now stands, with the ledger entry and the enrollment the purchase
-- granted (still current, or ended by a refund since): for a first call what it just did, for a
-- repeated key what the first call did. The caller judges it (run-idempotent.ts judgeEarlierClaim).
CREATE FUNCTION "wallet_pay_once"(
    p_user_id uuid,
    p_request_id text,
    p_operation text,
    p_request_hash text,
    -- As the caller sent it: any string asks "which course is this?", and one that is no UUID names none.
    p_course_id text,
    -- The new order's id, made by the caller (a ULID, server/building-blocks/order/order-id.ts).
    p_order_id text
) RETURNS TABLE (
    outcome "idempotency_outcome",
    request_hash text,
    refusal_reason text,
    transaction_id uuid,
    wallet_id uuid,
    type "wallet_transaction_type",
    amount integer,
    balance_after integer,
    created_at timestamptz,
    order_id text,
    course_id uuid,
    course_title text,
    enrollment_id uuid,
    enrollment_user_id uuid,
    enrollment_course_id uuid,
    enrollment_order_id text,
    enrollment_created_at timestamptz
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_key uuid;
    v_course uuid;
    v_title text;
    v_price integer;
    v_retired timestamptz;
    v_enrollment uuid;
    v_enrolled_at timestamptz;
    v_wallet uuid;
    v_balance integer;
    v_entry uuid;
    v_created timestamptz;
    v_refusal text;
BEGIN
    -- As wallet_change_once: never wait on a lock for long; past this the statement rolls back whole
    -- and the caller may retry with the same key.
    PERFORM set_config('lock_timeout', '20s', true);

    -- Claim the key. A concurrent call with the same key waits here until the first one commits.
    INSERT INTO "idempotency_key" ("user_id", "request_id", "operation", "request_hash")
    VALUES (p_user_id, p_request_id, p_operation, p_request_hash)
    ON CONFLICT ("user_id", "request_id") DO NOTHING
    RETURNING "id" INTO v_key;

    IF v_key IS NULL THEN
        -- Claimed before: change nothing (the interactive path makes a missing wallet first, so this
        -- does too), answer with the earlier outcome. The enrollment is the one the purchase granted:
        -- an order has one, current or moved to ended_enrollment by a full refund (the replay's
        -- findEnrollmentGrantedBy); none when it was ended before ended enrollments were kept.
        IF NOT EXISTS (SELECT 1 FROM "wallet" w WHERE w."user_id" = p_user_id) THEN
            INSERT INTO "wallet" ("user_id") VALUES (p_user_id) ON CONFLICT ("user_id") DO NOTHING;
        END IF;
        RETURN QUERY
        SELECT k."outcome", k."request_hash", k."refusal_reason", t."id", t."wallet_id", t."type", t."amount",
               t."balance_after", t."created_at", t."order_id", t."course_id", c."title",
               g."id", g."user_id", g."course_id", g."order_id", g."created_at"
          FROM "idempotency_key" k
          LEFT JOIN "wallet_transaction" t ON t."id" = k."transaction_id"
          LEFT JOIN "course" c ON c."id" = t."course_id"
          LEFT JOIN LATERAL (
                SELECT e."id", e."user_id", e."course_id", e."order_id", e."created_at"
                  FROM "enrollment" e WHERE e."order_id" = t."order_id"
                UNION ALL
                SELECT x."id", x."user_id", x."course_id", x."order_id", x."created_at"
                  FROM "ended_enrollment" x WHERE x."order_id" = t."order_id"
                LIMIT 1) g ON true
         WHERE k."user_id" = p_user_id AND k."request_id" = p_request_id;
        RETURN;
    END IF;

    -- The purchase. Each refusal leaves the block with nothing of the purchase left behind.
    <<purchase>>
    BEGIN
        -- The price comes from the database, never from the caller. The UUID test comes first so that
        -- the cast runs only on a UUID (the same test as course.repository.ts findCourse).
        IF p_course_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
            SELECT c."id", c."title", c."price", c."retired_at" INTO v_course, v_title, v_price, v_retired
              FROM "course" c WHERE c."id" = p_course_id::uuid;
        END IF;
        IF v_course IS NULL THEN
            v_refusal := 'NOT_FOUND';
            EXIT purchase;
        END IF;
        IF v_retired IS NOT NULL THEN
            v_refusal := 'COURSE_RETIRED';
            EXIT purchase;
        END IF;

        -- A card payment of this course is being confirmed (CONFIRMING or IN_DOUBT, the statuses of
        -- order.repository.ts IN_PROGRESS_STATUSES): paying again now could charge twice.
        IF EXISTS (SELECT 1 FROM "orders" o
                    WHERE o."user_id" = p_user_id AND o."course_id" = v_course
                      AND o."status" IN ('CONFIRMING', 'IN_DOUBT')) THEN
            v_refusal := 'PAYMENT_IN_PROGRESS';
            EXIT purchase;
        END IF;

        -- The order, born APPROVED like every balance purchase, with the columns the interactive path
        -- writes (wallet_amount stays 0: a balance purchase is no composite order).
        INSERT INTO "orders" ("id", "user_id", "type", "course_id", "amount", "order_name", "status", "method",
                              "approved_at")
        VALUES (p_order_id, p_user_id, 'COURSE', v_course, v_price, v_title, 'APPROVED', 'BALANCE', now());

        -- The enrollment claim: a learner buys a course once. A concurrent purchase of the same course
        -- (another key: three fast clicks) waits here on the unique index, then finds it taken. The
        -- interactive path claims it before writing the order and links it after; claiming it with its
        -- order already named ends in the same row and spares an UPDATE.
        INSERT INTO "enrollment" ("user_id", "course_id", "order_id")
        VALUES (p_user_id, v_course, p_order_id)
        ON CONFLICT ("user_id", "course_id") DO NOTHING
        RETURNING "id", "created_at" INTO v_enrollment, v_enrolled_at;
        IF v_enrollment IS NULL THEN
            DELETE FROM "orders" WHERE "id" = p_order_id;
            v_refusal := 'ALREADY_PURCHASED';
            EXIT purchase;
        END IF;

        -- The debit: the atomic strategy's conditional UPDATE (strategies/atomic.ts). It may spend only
        -- what holds leave available: the balance never goes below "held" (balance-rules.ts).
        -- A missing wallet matches nothing, as a balance of 0 would (every price is > 0: the order's CHECK).
        UPDATE "wallet"
           SET "balance" = "balance" - v_price, "updated_at" = now()
         WHERE "user_id" = p_user_id
           AND "balance" - v_price BETWEEN "held" AND 100000
        RETURNING "id", "balance" INTO v_wallet, v_balance;
        IF v_wallet IS NULL THEN
            DELETE FROM "enrollment" WHERE "id" = v_enrollment;
            DELETE FROM "orders" WHERE "id" = p_order_id;
            v_refusal := 'INSUFFICIENT_BALANCE';
            EXIT purchase;
        END IF;

        INSERT INTO "payment" ("order_id", "method", "amount", "approved_at")
        VALUES (p_order_id, 'BALANCE', v_price, now());

        INSERT INTO "wallet_transaction" ("wallet_id", "user_id", "type", "amount", "balance_after", "request_id",
                                          "order_id", "course_id")
        VALUES (v_wallet, p_user_id, 'PAYMENT', -v_price, v_balance, p_request_id, p_order_id, v_course)
        RETURNING "id", "created_at" INTO v_entry, v_created;

        UPDATE "idempotency_key" SET "outcome" = 'SUCCEEDED', "transaction_id" = v_entry WHERE "id" = v_key;

        RETURN QUERY SELECT 'SUCCEEDED'::"idempotency_outcome", p_request_hash, NULL::text, v_entry, v_wallet,
                            'PAYMENT'::"wallet_transaction_type", -v_price, v_balance, v_created, p_order_id,
                            v_course, v_title, v_enrollment, p_user_id, v_course, p_order_id, v_enrolled_at;
        RETURN;
    END purchase;

    -- Refused: only the key records it. The interactive path makes a missing wallet before anything
    -- else (ledger.ts withWalletLock), so this does too; without waiting on a locked wallet row.
    IF NOT EXISTS (SELECT 1 FROM "wallet" w WHERE w."user_id" = p_user_id) THEN
        INSERT INTO "wallet" ("user_id") VALUES (p_user_id) ON CONFLICT ("user_id") DO NOTHING;
    END IF;
    UPDATE "idempotency_key" SET "outcome" = 'REFUSED', "refusal_reason" = v_refusal WHERE "id" = v_key;
    RETURN QUERY SELECT 'REFUSED'::"idempotency_outcome", p_request_hash, v_refusal, NULL::uuid, NULL::uuid,
                        NULL::"wallet_transaction_type", NULL::integer, NULL::integer, NULL::timestamptz,
                        NULL::text, NULL::uuid, NULL::text, NULL::uuid, NULL::uuid, NULL::uuid, NULL::text,
                        NULL::timestamptz;
END;
$$;
