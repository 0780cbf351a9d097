-- Other services call us with a key of their own: a public key id (`pk_...`) and an HMAC secret that
-- signs every request. The secret is stored sealed (AES-256-GCM under SERVICE_KEY_ENCRYPTION_KEY), since
-- the server must recompute each signature; a rotated-out secret keeps working until previous_valid_until.

-- The console's actions on keys, audited like every admin action. Not used in this migration:
-- PostgreSQL lets a new enum value be used only once the transaction that added it has committed.
-- AlterEnum
ALTER TYPE "admin_action_kind" ADD VALUE 'SERVICE_KEY_CREATE';
ALTER TYPE "admin_action_kind" ADD VALUE 'SERVICE_KEY_REVOKE';
ALTER TYPE "admin_action_kind" ADD VALUE 'SERVICE_KEY_ROTATE';

ALTER TABLE "admin_action" DROP CONSTRAINT "admin_action_subject_type_known";
ALTER TABLE "admin_action" ADD CONSTRAINT "admin_action_subject_type_known"
  CHECK ("subject_type" IN ('ORDER', 'USER', 'COURSE', 'ALERT', 'WEBHOOK_ENDPOINT', 'EVENT', 'SERVICE_KEY'));

-- CreateTable
CREATE TABLE "service_key" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scopes" TEXT[] NOT NULL,
    "sealed_secret" TEXT NOT NULL,
    "previous_sealed_secret" TEXT,
    "previous_valid_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "service_key_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "service_key_key_id_format" CHECK ("key_id" ~ '^pk_[0-9A-Za-z]{24}$'),
    CONSTRAINT "service_key_name_present" CHECK (length(btrim("name")) BETWEEN 1 AND 100),
    CONSTRAINT "service_key_scopes_known" CHECK (
        cardinality("scopes") >= 1
        AND "scopes" <@ ARRAY['orders:write', 'orders:read', 'refunds:write', 'wallet:read', 'catalogue:write', 'webhooks:write']::TEXT[]),
    CONSTRAINT "service_key_previous_together" CHECK (
        ("previous_sealed_secret" IS NULL) = ("previous_valid_until" IS NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "service_key_key_id_key" ON "service_key"("key_id");

-- Each signed request's nonce, kept while its timestamp could still be accepted (the window is 300 s
-- either way, so 600 s after it was seen); older rows are swept as new ones arrive.
-- CreateTable
CREATE TABLE "service_request_nonce" (
    "service_key_id" UUID NOT NULL,
    "nonce" TEXT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_request_nonce_pkey" PRIMARY KEY ("service_key_id", "nonce")
);

-- CreateIndex
CREATE INDEX "service_request_nonce_seen_at_idx" ON "service_request_nonce"("seen_at");

-- AddForeignKey
ALTER TABLE "service_request_nonce" ADD CONSTRAINT "service_request_nonce_service_key_id_fkey" FOREIGN KEY ("service_key_id") REFERENCES "service_key"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A service's mutations are idempotent per (key, requestId): the first request's fingerprint and what it
-- made (an order id, a course id) are kept, so the same request gets the same answer and a different one
-- with the same requestId is refused.
-- CreateTable
CREATE TABLE "service_request" (
    "service_key_id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_request_pkey" PRIMARY KEY ("service_key_id", "request_id")
);

-- AddForeignKey
ALTER TABLE "service_request" ADD CONSTRAINT "service_request_service_key_id_fkey" FOREIGN KEY ("service_key_id") REFERENCES "service_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A course the course service keeps in sync is found by that service's own reference (per key).
-- AlterTable
ALTER TABLE "course" ADD COLUMN "external_key_id" UUID,
ADD COLUMN "external_ref" TEXT;

ALTER TABLE "course" ADD CONSTRAINT "course_external_together" CHECK (
    ("external_key_id" IS NULL) = ("external_ref" IS NULL));

-- CreateIndex
CREATE UNIQUE INDEX "course_external_key_id_external_ref_key" ON "course"("external_key_id", "external_ref");

-- AddForeignKey
ALTER TABLE "course" ADD CONSTRAINT "course_external_key_id_fkey" FOREIGN KEY ("external_key_id") REFERENCES "service_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
