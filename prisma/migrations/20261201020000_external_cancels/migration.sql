-- AlterTable
ALTER TABLE "refund" ALTER COLUMN "requested_by" DROP NOT NULL,
ADD COLUMN     "toss_transaction_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "refund_toss_transaction_key_key" ON "refund"("toss_transaction_key");
