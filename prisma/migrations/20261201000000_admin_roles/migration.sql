-- Admins are granted, not claimed: a role on the user, changed only by `npm run admin -- grant|revoke`,
-- and every change recorded with its time, reason and who ran it (ADMIN_EMAILS made whoever signed up
-- first with a listed email an admin).
-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('LEARNER', 'ADMIN');

-- CreateEnum
CREATE TYPE "role_change_action" AS ENUM ('GRANT', 'REVOKE');

-- AlterTable
ALTER TABLE "users" ADD COLUMN "role" "user_role" NOT NULL DEFAULT 'LEARNER';

-- CreateTable
CREATE TABLE "role_change" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "action" "role_change_action" NOT NULL,
    "role" "user_role" NOT NULL,
    "reason" TEXT NOT NULL,
    "changed_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "role_change_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "role_change_user_id_created_at_idx" ON "role_change"("user_id", "created_at");

-- AddForeignKey
ALTER TABLE "role_change" ADD CONSTRAINT "role_change_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The audit trail is append-only, like the ledger.
CREATE FUNCTION role_change_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'role_change is append-only';
END;
$$;
CREATE TRIGGER role_change_append_only BEFORE UPDATE OR DELETE ON "role_change"
  FOR EACH ROW EXECUTE FUNCTION role_change_append_only();
