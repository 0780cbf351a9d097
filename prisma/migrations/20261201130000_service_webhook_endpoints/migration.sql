-- A service with the webhooks:write scope registers and manages its own webhook endpoints. An endpoint
-- made by an operator on the console has no owner (NULL) and no service can see or change it; a service
-- sees only the endpoints its key made. Revoking the key leaves its endpoints as they are (an operator
-- can disable them), as events already promised to them are still owed.

-- AlterTable
ALTER TABLE "webhook_endpoint" ADD COLUMN "service_key_id" UUID;

-- AddForeignKey
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_service_key_id_fkey"
  FOREIGN KEY ("service_key_id") REFERENCES "service_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "webhook_endpoint_service_key_id_idx" ON "webhook_endpoint"("service_key_id");
