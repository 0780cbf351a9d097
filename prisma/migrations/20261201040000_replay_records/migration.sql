-- What a retried money mutation needs to answer as it did the first time, from records that never change.
--
-- An enrollment a full refund ends is no longer deleted outright but moved here, as it was, so a retried
-- wallet.pay still answers with the enrollment it granted (and the history of access given back stays).
-- Append-only, like the ledger.
-- CreateTable
CREATE TABLE "ended_enrollment" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "order_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ended_enrollment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ended_enrollment_order_id_idx" ON "ended_enrollment"("order_id");

-- AddForeignKey
ALTER TABLE "ended_enrollment" ADD CONSTRAINT "ended_enrollment_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ended_enrollment" ADD CONSTRAINT "ended_enrollment_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "course"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ended_enrollment" ADD CONSTRAINT "ended_enrollment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE FUNCTION "ended_enrollment_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ended_enrollment is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER "ended_enrollment_append_only"
    BEFORE UPDATE OR DELETE ON "ended_enrollment"
    FOR EACH ROW EXECUTE FUNCTION "ended_enrollment_append_only"();

-- A refund's requestId replays only the same request: the fingerprint of who asked and what (the
-- reason, and the amount or its absence). Refunds made before this migration, and cancels made at Toss,
-- have none.
-- AlterTable
ALTER TABLE "refund" ADD COLUMN "request_hash" TEXT;
