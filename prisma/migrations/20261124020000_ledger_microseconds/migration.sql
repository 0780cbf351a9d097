-- Ledger entries are ordered by created_at (newest first). A one-statement charge takes well under a
-- millisecond, so two entries of one wallet could share a millisecond and come back in random order.
-- AlterTable
ALTER TABLE "wallet_transaction" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(6);
