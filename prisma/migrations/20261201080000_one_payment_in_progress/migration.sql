-- At most one card payment of a course per learner may be under way (CONFIRMING or IN_DOUBT) at a time:
-- a second order of the same course cannot be sent to Toss until the first one settles, so two confirms
-- racing on two orders can never both charge the card. A partial unique index, which Prisma's schema
-- cannot express (server/building-blocks/db/schema-drift.test.ts lists it apart).
DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM "orders"
     WHERE "status" IN ('CONFIRMING', 'IN_DOUBT') AND "course_id" IS NOT NULL
     GROUP BY "user_id", "course_id" HAVING count(*) > 1
  ) THEN
    RAISE EXCEPTION 'Some learners have two card payments of one course under way at once; let the janitor settle them (npm start), then migrate again.';
  END IF;
END $$;

CREATE UNIQUE INDEX "orders_one_payment_in_progress" ON "orders" ("user_id", "course_id")
 WHERE "status" IN ('CONFIRMING', 'IN_DOUBT') AND "course_id" IS NOT NULL;
