-- Group commit for balance purchases (issue 14), as wallet_change_many does for balance changes.
--
-- wallet_pay_once was one function: claim the key, then the purchase, then the answer. Batching needs
-- every key of a batch claimed before any purchase (one lock order for all batches, see below), so the
-- purchase (wallet_purchase_make) and the answer (wallet_purchase_answer) become functions of their
-- own, called by wallet_pay_many for one purchase or a batch. What a purchase writes and answers is
-- what wallet_pay_once wrote and answered, with two differences:
-- - A purchase locks its wallet (making it first if the learner has none) before it claims the
--   enrollment (it used to claim the enrollment first, and make a missing wallet only when refused).
--   Two purchases of one learner then meet on the wallet row before anything else of theirs, so a batch
--   holding a learner's wallet never waits on an enrollment another batch claimed while waiting for that
--   wallet (a deadlock the old order allowed: the same course bought in two batches at once).
-- - The ledger row is dated clock_timestamp(), as wallet_change_many's are: a batch's purchases are
--   listed in the order they were made, not all at the transaction's start.
--
-- The app now sends only wallet_change_many and wallet_pay_many, so the single-change and
-- single-purchase functions they replaced are dropped at the end: one function per statement we send.

-- A wallet for the learner if they have none yet, as the interactive path makes one before anything
-- else (ledger.ts withWalletLock); without waiting on an existing wallet's row lock.
CREATE FUNCTION "wallet_make_if_missing"(p_user_id uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM "wallet" w WHERE w."user_id" = p_user_id) THEN
        INSERT INTO "wallet" ("user_id") VALUES (p_user_id) ON CONFLICT ("user_id") DO NOTHING;
    END IF;
END;
$$;

-- The purchase for a key this transaction has just claimed (p_key): the course checks, the wallet's
-- lock, the APPROVED order, its enrollment, the debit, the payment record and the PAYMENT ledger row,
-- then the key's outcome. A refusal leaves nothing of the purchase behind, only the key's refusal.
CREATE FUNCTION "wallet_purchase_make"(
    p_key uuid,
    p_user_id uuid,
    p_request_id text,
    -- As the caller sent it: any string asks "which course is this?", and one that is no UUID names none.
    p_course_id text,
    -- The new order's id, made by the caller (a ULID, server/building-blocks/order/order-id.ts).
    p_order_id text
) RETURNS void LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_course uuid;
    v_title text;
    v_price integer;
    v_retired timestamptz;
    v_enrollment uuid;
    v_wallet uuid;
    v_balance integer;
    v_entry uuid;
    v_refusal text;
BEGIN
    -- The learner's wallet first, made if missing (see the top of this file): a wallet made only after
    -- the enrollment claim, as a refusal used to make it, would put that learner's locks in the other
    -- order. A refusal below leaves it made, as the interactive path does.
    PERFORM "wallet_make_if_missing"(p_user_id);

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

        -- The learner's wallet locked before the enrollment claim (see the top of this file).
        PERFORM 1 FROM "wallet" w WHERE w."user_id" = p_user_id FOR NO KEY UPDATE;

        -- A card payment of this course is being confirmed (CONFIRMING or IN_DOUBT, the statuses of
        -- order.repository.ts IN_PROGRESS_STATUSES): paying again now could charge twice.
        IF EXISTS (SELECT 1 FROM "orders" o
                    WHERE o."user_id" = p_user_id AND o."course_id" = v_course
                      AND o."status" IN ('CONFIRMING', 'IN_DOUBT')) THEN
            v_refusal := 'PAYMENT_IN_PROGRESS';
            EXIT purchase;
        END IF;

        -- The order, born APPROVED like every balance purchase (wallet_amount stays 0: no composite order).
        INSERT INTO "orders" ("id", "user_id", "type", "course_id", "amount", "order_name", "status", "method",
                              "approved_at")
        VALUES (p_order_id, p_user_id, 'COURSE', v_course, v_price, v_title, 'APPROVED', 'BALANCE', now());

        -- The enrollment claim: a learner buys a course once. A concurrent purchase of the same course by
        -- the same learner waited on the wallet above; one by a card approval waits here on the unique
        -- index, then finds it taken.
        INSERT INTO "enrollment" ("user_id", "course_id", "order_id")
        VALUES (p_user_id, v_course, p_order_id)
        ON CONFLICT ("user_id", "course_id") DO NOTHING
        RETURNING "id" INTO v_enrollment;
        IF v_enrollment IS NULL THEN
            DELETE FROM "orders" WHERE "id" = p_order_id;
            v_refusal := 'ALREADY_PURCHASED';
            EXIT purchase;
        END IF;

        -- The debit: the atomic strategy's conditional UPDATE (strategies/atomic.ts), spending only what
        -- holds leave available (balance-rules.ts).
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
                                          "order_id", "course_id", "created_at")
        VALUES (v_wallet, p_user_id, 'PAYMENT', -v_price, v_balance, p_request_id, p_order_id, v_course,
                clock_timestamp())
        RETURNING "id" INTO v_entry;

        UPDATE "idempotency_key" SET "outcome" = 'SUCCEEDED', "transaction_id" = v_entry WHERE "id" = p_key;
        RETURN;
    END purchase;

    -- Refused: only the key records it.
    UPDATE "idempotency_key" SET "outcome" = 'REFUSED', "refusal_reason" = v_refusal WHERE "id" = p_key;
END;
$$;

-- The purchase's answer: the key's row as it now stands, with the ledger entry and the enrollment the
-- purchase granted (still current, or moved to ended_enrollment by a full refund; none when it was
-- ended before ended enrollments were kept). The caller judges it (run-idempotent.ts).
CREATE FUNCTION "wallet_purchase_answer"(p_user_id uuid, p_request_id text) RETURNS TABLE (
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
) LANGUAGE sql STABLE AS $$
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
$$;

-- Balance purchases of signed-in learners, one or many in one statement and one transaction (group
-- commit: ledger.ts payForCourseOnce, group-commit.ts). Item i is (p_session_ids[i], p_user_ids[i], ...);
-- each is what the single-purchase function (wallet_pay_signed_in, dropped below) did for one purchase, with its own idempotency outcome, against the
-- wallet as the items before it left it. A refusal is an outcome and never affects the other items; a
-- database error fails the whole statement (the caller then retries each purchase alone).
--
-- Lock order, as wallet_change_many's: first every item's key, by (user, request id), then each
-- learner's wallet, by user, and only while holding it that learner's enrollments. So two batches (from
-- one instance or several), a batch of purchases and a batch of changes, and any single purchase or
-- change cannot deadlock.
--
-- It answers one row per item, numbered as given: signed_in false when the session was not live
-- (nothing was claimed or changed), else wallet_purchase_answer's row: for a first call what it just
-- did, for a repeated key (also within the batch) what the first call did.
CREATE FUNCTION "wallet_pay_many"(
    p_session_ids uuid[],
    p_user_ids uuid[],
    p_request_ids text[],
    p_operations text[],
    p_request_hashes text[],
    p_course_ids text[],
    p_order_ids text[]
) RETURNS TABLE (
    item integer,
    signed_in boolean,
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
    n integer := coalesce(array_length(p_user_ids, 1), 0);
    v_order integer[];
    v_signed_in boolean[] := array_fill(false, ARRAY[n]);
    v_keys uuid[] := array_fill(NULL::uuid, ARRAY[n]);
    v_key uuid;
    i integer;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    IF coalesce(array_length(p_session_ids, 1), 0) <> n OR coalesce(array_length(p_request_ids, 1), 0) <> n
       OR coalesce(array_length(p_operations, 1), 0) <> n OR coalesce(array_length(p_request_hashes, 1), 0) <> n
       OR coalesce(array_length(p_course_ids, 1), 0) <> n OR coalesce(array_length(p_order_ids, 1), 0) <> n THEN
        RAISE EXCEPTION 'wallet_pay_many: every array must have one element per purchase (% purchases)', n;
    END IF;
    PERFORM set_config('lock_timeout', '20s', true);

    -- The items in lock order: by user, then request id (then as given, for a key sent twice).
    SELECT array_agg(o.ord ORDER BY o.uid, o.rid, o.ord) INTO v_order
      FROM unnest(p_user_ids, p_request_ids) WITH ORDINALITY AS o(uid, rid, ord);

    -- 1. Sessions and keys. A key claimed before (by another transaction, which this waits for, or by an
    --    earlier item of this batch) is left as it is: the item answers with its outcome below.
    FOREACH i IN ARRAY v_order LOOP
        v_signed_in[i] := "session_is_live"(p_session_ids[i], p_user_ids[i]);
        CONTINUE WHEN NOT v_signed_in[i];
        INSERT INTO "idempotency_key" ("user_id", "request_id", "operation", "request_hash")
        VALUES (p_user_ids[i], p_request_ids[i], p_operations[i], p_request_hashes[i])
        ON CONFLICT ("user_id", "request_id") DO NOTHING
        RETURNING "id" INTO v_key;
        v_keys[i] := v_key;
    END LOOP;

    -- 2. The purchases whose key this statement claimed, in the same order (so wallets by user). A
    --    signed-in item whose key was claimed before gets a missing wallet made, as a single purchase did.
    FOREACH i IN ARRAY v_order LOOP
        CONTINUE WHEN NOT v_signed_in[i];
        IF v_keys[i] IS NULL THEN
            PERFORM "wallet_make_if_missing"(p_user_ids[i]);
        ELSE
            PERFORM "wallet_purchase_make"(v_keys[i], p_user_ids[i], p_request_ids[i], p_course_ids[i],
                                           p_order_ids[i]);
        END IF;
    END LOOP;

    -- 3. Every item's answer, in the order given.
    FOR i IN 1..n LOOP
        IF NOT v_signed_in[i] THEN
            RETURN QUERY SELECT i, false, NULL::"idempotency_outcome", NULL::text, NULL::text, NULL::uuid,
                                NULL::uuid, NULL::"wallet_transaction_type", NULL::integer, NULL::integer,
                                NULL::timestamptz, NULL::text, NULL::uuid, NULL::text, NULL::uuid, NULL::uuid,
                                NULL::uuid, NULL::text, NULL::timestamptz;
        ELSE
            RETURN QUERY SELECT i, true, a.* FROM "wallet_purchase_answer"(p_user_ids[i], p_request_ids[i]) a;
        END IF;
    END LOOP;
END;
$$;

-- Replaced by the batch statements above and in 20261202010000 (a batch of one is the single case).
DROP FUNCTION "wallet_pay_signed_in"(uuid, uuid, text, text, text, text, text);
DROP FUNCTION "wallet_pay_once"(uuid, text, text, text, text, text);
DROP FUNCTION "wallet_change_once"(uuid, text, text, text, "wallet_transaction_type", integer, text);
