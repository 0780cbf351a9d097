-- Signed outgoing events (transactional outbox). Every state change another service cares about is
-- written to outbox_event by a trigger on the table that changed, so it is in the same transaction as
-- the change by construction, whichever code path made it (every balance strategy, the one-statement
-- wallet_change_once function, moveOrder, the refund booking, the enrollment grants and ends).
-- The dispatcher (server/use-cases/events/dispatch-events.ts) fans each event out to the endpoints
-- subscribed to its type (event_delivery) and sends it, signed per Standard Webhooks, with retries.

-- An event's id is its Standard Webhooks message id (webhook-id): msg_ and 32 random hex digits.
CREATE FUNCTION "outbox_event_id"() RETURNS TEXT LANGUAGE sql VOLATILE AS $$
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', '')
$$;

CREATE TABLE "outbox_event" (
    "id" TEXT NOT NULL DEFAULT outbox_event_id(),
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "order_id" TEXT,
    "user_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),
    "dispatched_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_event_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "outbox_event_created_at_idx" ON "outbox_event"("created_at");
CREATE INDEX "outbox_event_order_id_idx" ON "outbox_event"("order_id");
-- The dispatcher's work list: events not yet fanned out come first.
CREATE INDEX "outbox_event_dispatched_at_created_at_idx" ON "outbox_event"("dispatched_at", "created_at");

CREATE TABLE "webhook_endpoint" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[] NOT NULL,
    "sealed_secret" TEXT NOT NULL,
    "previous_sealed_secret" TEXT,
    "previous_secret_valid_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_endpoint_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_url_http"
  CHECK ("url" ~ '^https?://');

CREATE TYPE "event_delivery_status" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

CREATE TABLE "event_delivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "status" "event_delivery_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "last_attempt_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_delivery_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "event_delivery_event_id_endpoint_id_key" ON "event_delivery"("event_id", "endpoint_id");
CREATE INDEX "event_delivery_endpoint_id_idx" ON "event_delivery"("endpoint_id");
-- The sender's work list: pending deliveries by when they are due.
CREATE INDEX "event_delivery_status_next_attempt_at_idx" ON "event_delivery"("status", "next_attempt_at");
ALTER TABLE "event_delivery" ADD CONSTRAINT "event_delivery_event_id_fkey"
  FOREIGN KEY ("event_id") REFERENCES "outbox_event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "event_delivery" ADD CONSTRAINT "event_delivery_endpoint_id_fkey"
  FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Every attempt, for the console: when, what came back (status code) or why nothing did.
CREATE TABLE "event_delivery_attempt" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status_code" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_delivery_attempt_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "event_delivery_attempt_delivery_id_idx" ON "event_delivery_attempt"("delivery_id");
ALTER TABLE "event_delivery_attempt" ADD CONSTRAINT "event_delivery_attempt_delivery_id_fkey"
  FOREIGN KEY ("delivery_id") REFERENCES "event_delivery"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A delivery that failed for good raises an operator alert; an event need not belong to an order
-- (a wallet adjustment), so an alert may name none.
ALTER TABLE "operator_alert" ALTER COLUMN "order_id" DROP NOT NULL;

-- Admin actions on endpoints and events are audited like every other.
ALTER TYPE "admin_action_kind" ADD VALUE 'WEBHOOK_ENDPOINT_CREATE';
ALTER TYPE "admin_action_kind" ADD VALUE 'WEBHOOK_ENDPOINT_UPDATE';
ALTER TYPE "admin_action_kind" ADD VALUE 'WEBHOOK_ENDPOINT_ROTATE';
ALTER TYPE "admin_action_kind" ADD VALUE 'WEBHOOK_ENDPOINT_DISABLE';
ALTER TYPE "admin_action_kind" ADD VALUE 'EVENT_REDELIVER';
ALTER TABLE "admin_action" DROP CONSTRAINT "admin_action_subject_type_known";
ALTER TABLE "admin_action" ADD CONSTRAINT "admin_action_subject_type_known"
  CHECK ("subject_type" IN ('ORDER', 'USER', 'COURSE', 'ALERT', 'WEBHOOK_ENDPOINT', 'EVENT'));

-- The triggers. They are constraint triggers, DEFERRABLE INITIALLY DEFERRED: they run at COMMIT, still
-- inside the transaction (an error there rolls everything back), and read the row as it is then. So a
-- row a transaction made and took back before committing (a balance purchase refused after its order
-- and enrollment were written) leaves no event, and an enrollment linked to its order later in the same
-- transaction is sent with that order. Payloads carry ids, amounts and statuses only: no secrets, no
-- names or emails.

CREATE FUNCTION "outbox_order_status"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  o RECORD;
BEGIN
  SELECT * INTO o FROM "orders" WHERE "id" = NEW."id";
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  INSERT INTO "outbox_event" ("type", "payload", "order_id", "user_id") VALUES (
    CASE NEW."status"
      WHEN 'APPROVED' THEN 'order.approved'
      WHEN 'FAILED' THEN 'order.failed'
      WHEN 'CANCELED' THEN 'order.canceled'
      WHEN 'IN_DOUBT' THEN 'order.in_doubt'
    END,
    jsonb_build_object(
      'orderId', o."id", 'userId', o."user_id", 'type', o."type", 'courseId', o."course_id",
      'amount', o."amount", 'refundedAmount', o."refunded_amount", 'status', NEW."status",
      'method', o."method", 'approvedAt', o."approved_at", 'failureCode', o."failure_code"),
    o."id", o."user_id");
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "orders_outbox_insert" AFTER INSERT ON "orders"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW."status" IN ('APPROVED', 'FAILED', 'CANCELED', 'IN_DOUBT'))
  EXECUTE FUNCTION "outbox_order_status"();
CREATE CONSTRAINT TRIGGER "orders_outbox_status" AFTER UPDATE OF "status" ON "orders"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW."status" IS DISTINCT FROM OLD."status"
    AND NEW."status" IN ('APPROVED', 'FAILED', 'CANCELED', 'IN_DOUBT'))
  EXECUTE FUNCTION "outbox_order_status"();

CREATE FUNCTION "outbox_refund_done"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
BEGIN
  SELECT f."id", f."order_id", f."amount", f."method", f."destination", f."status", o."user_id",
         o."amount" AS "order_amount"
    INTO r FROM "refund" f JOIN "orders" o ON o."id" = f."order_id" WHERE f."id" = NEW."id";
  IF NOT FOUND OR r."status" <> 'DONE' THEN
    RETURN NULL;
  END IF;
  INSERT INTO "outbox_event" ("type", "payload", "order_id", "user_id") VALUES (
    'refund.succeeded',
    jsonb_build_object(
      'refundId', r."id", 'orderId', r."order_id", 'userId', r."user_id", 'amount', r."amount",
      'method', r."method", 'destination', r."destination", 'orderAmount', r."order_amount"),
    r."order_id", r."user_id");
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "refund_outbox_insert" AFTER INSERT ON "refund"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW."status" = 'DONE')
  EXECUTE FUNCTION "outbox_refund_done"();
CREATE CONSTRAINT TRIGGER "refund_outbox_status" AFTER UPDATE OF "status" ON "refund"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW."status" = 'DONE' AND OLD."status" IS DISTINCT FROM 'DONE')
  EXECUTE FUNCTION "outbox_refund_done"();

-- The ledger is append-only, so the inserted row is the row; no re-read needed.
CREATE FUNCTION "outbox_wallet_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "outbox_event" ("type", "payload", "order_id", "user_id") VALUES (
    'wallet.changed',
    jsonb_build_object(
      'transactionId', NEW."id", 'userId', NEW."user_id", 'type', NEW."type", 'amount', NEW."amount",
      'balanceAfter', NEW."balance_after", 'orderId', NEW."order_id", 'courseId', NEW."course_id"),
    NEW."order_id", NEW."user_id");
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "wallet_transaction_outbox" AFTER INSERT ON "wallet_transaction"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "outbox_wallet_changed"();

-- TG_ARGV[0]: the event type; TG_TABLE_NAME: enrollment (re-read: it may have been removed or linked to
-- its order since) or ended_enrollment (append-only).
CREATE FUNCTION "outbox_enrollment"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  e RECORD;
BEGIN
  IF TG_TABLE_NAME = 'enrollment' THEN
    SELECT "id", "user_id", "course_id", "order_id" INTO e FROM "enrollment" WHERE "id" = NEW."id";
    IF NOT FOUND THEN
      RETURN NULL;
    END IF;
  ELSE
    SELECT NEW."id" AS "id", NEW."user_id" AS "user_id", NEW."course_id" AS "course_id",
           NEW."order_id" AS "order_id" INTO e;
  END IF;
  INSERT INTO "outbox_event" ("type", "payload", "order_id", "user_id") VALUES (
    TG_ARGV[0],
    jsonb_build_object(
      'enrollmentId', e."id", 'userId', e."user_id", 'courseId', e."course_id", 'orderId', e."order_id"),
    e."order_id", e."user_id");
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER "enrollment_outbox" AFTER INSERT ON "enrollment"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "outbox_enrollment"('course.purchased');
CREATE CONSTRAINT TRIGGER "ended_enrollment_outbox" AFTER INSERT ON "ended_enrollment"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "outbox_enrollment"('course.refunded');
