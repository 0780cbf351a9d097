-- The offline Toss sandbox leaves the product's schema. It is a separate module (server/sandbox) that keeps
-- its state in a PostgreSQL schema of its own (`toss_sandbox`), created by the sandbox itself when sandbox
-- mode starts; a real deployment carries no sandbox tables. The sandbox's payments, faults and pending
-- webhooks kept in these tables are not carried over: a sandbox payment made before this migration is
-- unknown to the sandbox afterwards (as a payment Toss has forgotten). No enum was used only by them.
-- DropTable
DROP TABLE "toss_sandbox_payment";

-- DropTable
DROP TABLE "toss_sandbox_transaction";

-- DropTable
DROP TABLE "toss_sandbox_idempotency";

-- DropTable
DROP TABLE "toss_sandbox_fault";

-- DropTable
DROP TABLE "toss_sandbox_webhook";
