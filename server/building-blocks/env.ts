import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';

/**
 * Configuration from the environment, validated once. A missing or malformed value stops the app with
 * a message naming the variable. Only variables under `client` (none yet) may ever reach the browser.
 *
 * Validation is lazy (first call of `env()`) so that `next build` does not need a database URL; the
 * start script calls `env()` before it serves anything.
 */
function load() {
  return createEnv({
    server: {
      NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
      DATABASE_URL: z.url({
        protocol: /^postgres(ql)?$/,
        error: 'must be a postgres:// or postgresql:// URL',
      }),
      DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
      SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
      SESSION_TTL_HOURS: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 90)
        .default(24 * 7),
      PORT: z.coerce.number().int().min(1).max(65535).default(3000),
      /** Demo courses and learner: on by default only for the embedded demo database (see start.ts). */
      SEED_DEMO_DATA: z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).optional(),
      // Toss Payments: real keys, or the offline sandbox it ships (server/sandbox), never neither.
      /** `on`: the offline sandbox (no real money moves). Default on only for the embedded demo and tests. */
      TOSS_SANDBOX: z.enum(['on', 'off'], { error: "must be 'on' or 'off'" }).optional(),
      /** Bearer secret for the sandbox's fault injection; without it fault injection is refused. */
      TOSS_SANDBOX_CONTROL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
      TOSS_CLIENT_KEY: z
        .string()
        .regex(/^(test|live)_(gck|ck)_/, 'must be a Toss client key (test_gck_...)')
        .optional(),
      TOSS_SECRET_KEY: z
        .string()
        .regex(/^(test|live)_(gsk|sk)_/, 'must be a Toss secret key (test_gsk_...)')
        .optional(),
      TOSS_API_BASE: z.url().optional(),
      TOSS_READ_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(60_000),
      TOSS_SANDBOX_CONFIRM_WINDOW_MS: z.coerce
        .number()
        .int()
        .min(1_000)
        .default(10 * 60_000),
      /** Where the sandbox sends its webhooks (default: this app's receiver), and how its retry schedule is scaled. */
      TOSS_SANDBOX_WEBHOOK_URL: z.url().optional(),
      TOSS_SANDBOX_WEBHOOK_TIME_SCALE: z.coerce.number().positive().max(1).default(1),
      /** How often outgoing events are fanned out and sent, and how their retry schedule is scaled (tests). */
      EVENT_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
      EVENT_RETRY_TIME_SCALE: z.coerce.number().positive().max(1).default(1),
      /** How often the janitor looks for orders in doubt, and after how long one is put before a person. */
      RECOVERY_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
      RECOVERY_GIVE_UP_MS: z.coerce
        .number()
        .int()
        .min(1_000)
        .default(24 * 3_600_000),
      /** How balance changes are kept consistent (server/building-blocks/ledger/strategies); `atomic` unless measuring. */
      BALANCE_STRATEGY: z
        .enum(['atomic', 'for-update', 'optimistic', 'redis-lock', 'in-process-lock'])
        .default('atomic'),
      /**
       * Group commit for the atomic strategy (server/building-blocks/ledger/group-commit.ts): balance
       * changes, and apart from them balance purchases, that arrive while others are being written share
       * one statement and one commit. `off`: one transaction per change or purchase.
       */
      GROUP_COMMIT: z.enum(['on', 'off']).default('on'),
      /**
       * Batches of each kind (changes, purchases) at the database at once per instance, each on a pooled
       * connection (checked against DATABASE_POOL_SIZE below). Fewer make larger batches (fewer commits);
       * more keep charges moving while one batch waits on a lock.
       */
      GROUP_COMMIT_IN_FLIGHT: z.coerce.number().int().min(1).max(20).default(2),
      /** Only for BALANCE_STRATEGY=redis-lock; the default path never needs Redis. */
      REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
      /**
       * Sign-in limits per 15 minutes (server/building-blocks/auth/attempt-limits.ts): failed sign-ins per account, and
       * sign-in plus sign-up attempts per client address (raise it behind a proxy or in a test harness).
       */
      AUTH_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(1_000).default(10),
      /**
       * How many proxies of ours stand in front of the app. 0: the socket's peer is the client and
       * X-Forwarded-For is ignored; N: the client is the Nth address from the right of X-Forwarded-For
       * (each of our proxies appends the address it saw), as Express's "trust proxy" hop count.
       */
      TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
      AUTH_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000_000).default(100),
      /**
       * Where learners reach this app (https://pay.example.com), for the links we hand to other services
       * (an order's checkoutUrl). Unset, the links use the host the request came to.
       */
      PUBLIC_URL: z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://pay.example.com' })
        .transform((url) => new URL(url).origin)
        .optional(),
      /** Bearer token of /api/metrics (Prometheus); unset, the endpoint does not exist (404). */
      METRICS_TOKEN: z
        .string()
        .min(32, 'must be at least 32 characters')
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent in a header)')
        .optional(),
      /**
       * The server key that seals secrets we must read back (service keys, webhook endpoints' signing
       * secrets; server/building-blocks/crypto/secret-box.ts): 32 random bytes in base64
       * (`openssl rand -base64 32`). Unset, no service key or webhook endpoint can be made or used.
       */
      SERVICE_KEY_ENCRYPTION_KEY: z
        .string()
        .refine(
          // The same test as crypto/secret-box.ts parseSealingKey (which reads this variable through
          // crypto/sealing-key.ts; importing it here would make the two folders import each other).
          (text) => Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64').length === 32,
          'must be 32 random bytes in base64; make one with: openssl rand -base64 32',
        )
        .optional(),
      /** Gone: admins are granted with `npm run admin -- grant EMAIL`. Still set, the app refuses to start. */
      ADMIN_EMAILS: z
        .undefined({
          error:
            'is no longer read: admins are granted, not listed. Unset it and run `npm run admin -- grant EMAIL` for each admin',
        })
        .optional(),
    },
    client: {},
    // Settings that are only wrong together.
    createFinalSchema: (shape) =>
      z.object(shape).superRefine((e, ctx) => {
        const batches = 2 * e.GROUP_COMMIT_IN_FLIGHT;
        if (e.BALANCE_STRATEGY === 'atomic' && e.GROUP_COMMIT === 'on' && batches >= e.DATABASE_POOL_SIZE) {
          ctx.addIssue({
            code: 'custom',
            path: ['GROUP_COMMIT_IN_FLIGHT'],
            message: `with group commit, ${batches} batches (changes and purchases) may each hold one of the ${e.DATABASE_POOL_SIZE} connections of DATABASE_POOL_SIZE, leaving none to the other requests: lower GROUP_COMMIT_IN_FLIGHT or raise DATABASE_POOL_SIZE above ${batches}`,
          });
        }
      }),
    experimental__runtimeEnv: {},
    emptyStringAsUndefined: true,
    onValidationError: (issues) => {
      const lines = issues.map((issue) => {
        const message = /received undefined/.test(issue.message) ? 'is missing' : issue.message;
        return `  - ${issue.path?.join('.') ?? '?'}: ${message}`;
      });
      throw new Error(`Invalid environment configuration:\n${lines.join('\n')}`);
    },
  });
}

let cached: ReturnType<typeof load> | undefined;

export function env(): ReturnType<typeof load> {
  cached ??= load();
  return cached;
}
