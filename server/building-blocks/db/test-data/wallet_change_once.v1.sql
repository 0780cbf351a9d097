-- One idempotent balance change in a single statement (the atomic strategy's charge path).
--
-- It does, in order, what runIdempotent + the conditional UPDATE + the ledger insert do from
-- TypeScript, but inside the database: claim (user, request) in idempotency_key, move the balance
-- with the conditional UPDATE, write the ledger row, record the outcome. Called on its own (autocommit),
-- it is one transaction and one round trip, and the wallet's row lock is held only while it runs,
-- never across a network hop or a busy event loop.
--
-- A duplicate (the key already claimed) changes nothing: the INSERT ... ON CONFLICT waits for a
-- concurrent claim to commit or roll back, and the next statement (a fresh snapshot under READ
-- COMMITTED) reads the earlier outcome, which is returned for the caller to replay or refuse.
-- Business rules stay in TypeScript: the caller passes the refusal to record when the balance would
-- leave 0..100,000.
CREATE FUNCTION "wallet_change_once"(
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
           AND "balance" + p_amount BETWEEN 0 AND 100000
        RETURNING "id", "balance" INTO v_wallet, v_balance;
        -- The first change of a user who has no wallet yet creates it (empty) and tries once more.
        EXIT WHEN v_wallet IS NOT NULL OR EXISTS (SELECT 1 FROM "wallet" WHERE "user_id" = p_user_id);
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
