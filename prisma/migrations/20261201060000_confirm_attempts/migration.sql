-- The confirm attempt number becomes state on the order. It was counted from the Toss exchange log
-- (one row per confirm sent); each confirm now takes the next number from the order itself, and orders
-- already in flight continue from what the log shows, so no Idempotency-Key is ever used twice.
-- AlterTable
ALTER TABLE "orders" ADD COLUMN "confirm_attempts" INTEGER NOT NULL DEFAULT 0;

UPDATE "orders" AS o
   SET "confirm_attempts" = sent.n
  FROM (SELECT "order_id", count(*)::int AS n
          FROM "toss_exchange"
         WHERE "operation" = 'confirm' AND "order_id" IS NOT NULL
         GROUP BY "order_id") AS sent
 WHERE sent."order_id" = o."id";

ALTER TABLE "orders" ADD CONSTRAINT "orders_confirm_attempts_not_negative" CHECK ("confirm_attempts" >= 0);
