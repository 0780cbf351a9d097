-- Sign-in and sign-up attempt counters (server/auth/attempt-limits.ts), kept by rate-limiter-flexible's
-- PostgreSQL store so every app instance counts against the same rows. These are the library's own
-- columns: its upsert is `INSERT ... VALUES (key, points, expire)` by position, so the table must have
-- exactly these three, in this order. `expire` is when the window ends, in epoch milliseconds.
-- CreateTable
CREATE TABLE "auth_rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "auth_rate_limit_pkey" PRIMARY KEY ("key")
);
