-- One round trip per money request, and group commit (issue 14).
--
-- A learner's balance change and balance purchase used to cost two round trips: the session check
-- (auth.repository.ts findSessionUser), then the statement. The statements below check the session
-- themselves, first, before they claim the idempotency key: a session that has ended (signed out,
-- expired, or another user's) changes nothing and records nothing, so the same request succeeds once
-- the learner signs in again. The README's "Security" section gives the argument.

-- Whether p_session_id is a live session of p_user_id (the same test as findSessionUser).
CREATE FUNCTION "session_is_live"(p_session_id uuid, p_user_id uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM "session" s
                    WHERE s."id" = p_session_id AND s."user_id" = p_user_id AND s."expires_at" > now());
$$;

-- wallet_pay_once for a signed-in learner: no row at all when the session is not live.
CREATE FUNCTION "wallet_pay_signed_in"(
    p_session_id uuid,
    p_user_id uuid,
    p_request_id text,
    p_operation text,
    p_request_hash text,
    p_course_id text,
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
BEGIN
    IF NOT "session_is_live"(p_session_id, p_user_id) THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM "wallet_pay_once"(p_user_id, p_request_id, p_operation, p_request_hash,
                                                 p_course_id, p_order_id);
END;
$$;

-- Balance changes of signed-in learners, one or many in one statement and one transaction (group
-- commit: ledger.ts moveBalanceOnce, group-commit.ts). Item i is (p_session_ids[i], p_user_ids[i],
-- p_request_ids[i], ...); each is what wallet_change_once does for one change, checked on its own
-- against the balance as the items before it left it, with its own idempotency outcome. A refusal is an
-- outcome like a success and never affects the other items; a database error fails the whole statement
-- (the caller then retries each change alone).
--
-- Locks are taken in one global order, so that two batches (from one instance or several) and a batch
-- and any single-wallet transaction cannot deadlock: first every item's key, by (user, request id), then
-- every wallet, by user. A single purchase or order (key, then one wallet) fits that order.
--
-- Within a batch the items are applied in lock order, not in the order they arrived: they arrived at
-- the same moment, so either order is one a learner could have seen.
--
-- It answers one row per item, numbered as given: signed_in false when the session was not live
-- (nothing was claimed or changed), else the key's row as it now stands with its ledger entry: for a
-- first call what it just did, for a repeated key (also within the batch) what the first call did.
CREATE FUNCTION "wallet_change_many"(
    p_session_ids uuid[],
    p_user_ids uuid[],
    p_request_ids text[],
    p_operations text[],
    p_request_hashes text[],
    p_types "wallet_transaction_type"[],
    p_amounts integer[],
    p_refusals text[]
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
    created_at timestamptz
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    n integer := coalesce(array_length(p_user_ids, 1), 0);
    v_order integer[];
    v_signed_in boolean[] := array_fill(false, ARRAY[n]);
    v_keys uuid[] := array_fill(NULL::uuid, ARRAY[n]);
    v_key uuid;
    v_wallet uuid;
    v_balance integer;
    v_entry uuid;
    i integer;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    IF coalesce(array_length(p_session_ids, 1), 0) <> n OR coalesce(array_length(p_request_ids, 1), 0) <> n
       OR coalesce(array_length(p_operations, 1), 0) <> n OR coalesce(array_length(p_request_hashes, 1), 0) <> n
       OR coalesce(array_length(p_types, 1), 0) <> n OR coalesce(array_length(p_amounts, 1), 0) <> n
       OR coalesce(array_length(p_refusals, 1), 0) <> n THEN
        RAISE EXCEPTION 'wallet_change_many: every array must have one element per change (% changes)', n;
    END IF;
    -- As wallet_change_once: never wait on a lock for long; past this the statement rolls back whole
    -- and each change may be retried with its key.
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

    -- 2. The changes whose key this statement claimed, in the same order (so wallets by user): the
    --    conditional UPDATE of the atomic strategy, its ledger row, the key's outcome.
    FOREACH i IN ARRAY v_order LOOP
        CONTINUE WHEN v_keys[i] IS NULL;
        v_wallet := NULL;
        FOR attempt IN 1..2 LOOP
            UPDATE "wallet"
               SET "balance" = "balance" + p_amounts[i], "updated_at" = now()
             WHERE "user_id" = p_user_ids[i]
               AND "balance" + p_amounts[i] BETWEEN "held" AND 100000
            RETURNING "id", "balance" INTO v_wallet, v_balance;
            EXIT WHEN v_wallet IS NOT NULL OR attempt = 2;
            -- No row matched: out of bounds, or no wallet yet (see wallet_change_once).
            INSERT INTO "wallet" ("user_id") VALUES (p_user_ids[i]) ON CONFLICT ("user_id") DO NOTHING;
        END LOOP;
        IF v_wallet IS NULL THEN
            UPDATE "idempotency_key" SET "outcome" = 'REFUSED', "refusal_reason" = p_refusals[i]
             WHERE "id" = v_keys[i];
        ELSE
            -- clock_timestamp(), not the transaction's now(): a batch's entries are dated in the order
            -- they were applied, so the wallet's history lists them in that order.
            INSERT INTO "wallet_transaction" ("wallet_id", "user_id", "type", "amount", "balance_after",
                                              "request_id", "created_at")
            VALUES (v_wallet, p_user_ids[i], p_types[i], p_amounts[i], v_balance, p_request_ids[i],
                    clock_timestamp())
            RETURNING "id" INTO v_entry;
            UPDATE "idempotency_key" SET "outcome" = 'SUCCEEDED', "transaction_id" = v_entry
             WHERE "id" = v_keys[i];
        END IF;
    END LOOP;

    -- 3. Every item's answer, in the order given.
    FOR i IN 1..n LOOP
        IF NOT v_signed_in[i] THEN
            RETURN QUERY SELECT i, false, NULL::"idempotency_outcome", NULL::text, NULL::text, NULL::uuid,
                                NULL::uuid, NULL::"wallet_transaction_type", NULL::integer, NULL::integer,
                                NULL::timestamptz;
        ELSE
            RETURN QUERY
            SELECT i, true, k."outcome", k."request_hash", k."refusal_reason", t."id", t."wallet_id",
                   t."type", t."amount", t."balance_after", t."created_at"
              FROM "idempotency_key" k
              LEFT JOIN "wallet_transaction" t ON t."id" = k."transaction_id"
             WHERE k."user_id" = p_user_ids[i] AND k."request_id" = p_request_ids[i];
        END IF;
    END LOOP;
END;
$$;
