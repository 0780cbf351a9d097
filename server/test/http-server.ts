import { type Db, driverPool } from '../building-blocks/db/client';
import { tossExchangeRecorder } from '../building-blocks/payment/payment.repository';
import { createTossClient } from '../building-blocks/toss/toss-client';
import { DOCS_TEST_KEYS } from '../building-blocks/toss/toss-config';
import { createApiHandler } from '../entry-points/http/api';
import { createAppServer } from '../entry-points/http/app-server';
import { closeServer, listen } from '../entry-points/http/lifecycle';
import { startRecoveryWorker } from '../entry-points/janitor';
import { startSandbox } from '../sandbox/sandbox';
import { SANDBOX_PREFIX } from '../sandbox/sandbox-handler';
import type { AuthConfig } from '../use-cases/auth/auth.service';
import { TEST_AUTH, TEST_SEALING_KEY } from './fixtures';
import { TEST_SANDBOX_CONTROL_SECRET } from './sandbox';

export interface TestServerOptions {
  /** Listen on this port (default: any free one). */
  port?: number;
  /** Send Toss calls elsewhere (another process's sandbox) instead of this server's own sandbox. */
  tossBaseUrl?: string;
  /** Sandbox webhooks: sent to this server's receiver unless another URL is given; retries time-scaled. */
  webhooks?: { url?: string; timeScale: number; intervalMs: number };
  /** Run the recovery janitor in this process, as `npm start` does. */
  recovery?: { databaseUrl: string; intervalMs: number; staleConfirmingMs: number; giveUpMs?: number };
  /** The app's read timeout for Toss calls; tests of timeouts make it short. */
  readTimeoutMs?: number;
  confirmWindowMs?: number;
  waitForConfirmMs?: number;
  /** `false`: real mode (no sandbox paths, no test charge); the app's Toss client then needs tossBaseUrl. */
  sandbox?: boolean;
  /** Auth settings (default TEST_AUTH), e.g. lower sign-in limits. */
  auth?: AuthConfig;
  /** Proxies in front (TRUST_PROXY_HOPS): the client address comes from X-Forwarded-For. */
  trustProxyHops?: number;
  /** METRICS_TOKEN: /api/metrics answers only with it (404 without). */
  metricsToken?: string;
  /** PUBLIC_URL: the origin of checkout links handed to services. */
  publicUrl?: string;
  /** SERVICE_KEY_ENCRYPTION_KEY (default TEST_SEALING_KEY); null: service keys are off. */
  sealingKey?: Buffer | null;
}

/**
 * Serves the app's own HTTP edge (server/http: tRPC, webhooks, health and the Toss sandbox, with every
 * limit and header) over real HTTP on a random local port, against the test file's own database, without
 * Next.js's pages. The app's Toss client calls the sandbox over that same HTTP, as `npm start` does.
 */
export async function startTestHttpServer(db: Db, options: TestServerOptions = {}) {
  let baseUrl = '';
  const toss = () =>
    createTossClient({
      baseUrl: options.tossBaseUrl ?? `${baseUrl}${SANDBOX_PREFIX}`,
      secretKey: DOCS_TEST_KEYS.secretKey,
      readTimeoutMs: options.readTimeoutMs ?? 10_000,
      recorder: tossExchangeRecorder(db),
    });

  // The sandbox (creating its schema in this database if missing), unless in real mode. Its webhook URL
  // is read per request: it is known only once the server listens.
  const sandbox =
    options.sandbox === false
      ? null
      : await startSandbox({
          db: driverPool(db),
          secretKey: DOCS_TEST_KEYS.secretKey,
          controlSecret: TEST_SANDBOX_CONTROL_SECRET,
          confirmWindowMs: options.confirmWindowMs ?? 600_000,
          get webhookUrl() {
            return options.webhooks ? (options.webhooks.url ?? `${baseUrl}/api/webhooks/toss`) : undefined;
          },
        });

  const server = createAppServer({
    api: createApiHandler({
      db,
      auth: options.auth ?? TEST_AUTH,
      get toss() {
        return toss();
      },
      mode: options.sandbox === false ? 'live' : 'sandbox',
      trustProxyHops: options.trustProxyHops ?? 0,
      metricsToken: options.metricsToken,
      publicUrl: options.publicUrl ?? null,
      sealingKey: options.sealingKey === undefined ? TEST_SEALING_KEY : options.sealingKey,
      waitForConfirmMs: options.waitForConfirmMs ?? 15_000,
      staleConfirmingMs: options.recovery?.staleConfirmingMs ?? 15_000,
      sandbox,
    }),
    policy: { sandbox: options.sandbox !== false, dev: false },
  });

  baseUrl = `http://127.0.0.1:${await listen(server, options.port ?? 0, '127.0.0.1')}`;
  const recovery = options.recovery
    ? await startRecoveryWorker({
        databaseUrl: options.recovery.databaseUrl,
        db,
        toss: toss(),
        intervalMs: options.recovery.intervalMs,
        staleConfirmingMs: options.recovery.staleConfirmingMs,
        giveUpMs: options.recovery.giveUpMs ?? 3_600_000,
        log: () => {},
      })
    : null;
  const sender =
    options.webhooks && sandbox
      ? sandbox.startWebhookSender({
          intervalMs: options.webhooks.intervalMs,
          timeScale: options.webhooks.timeScale,
        })
      : null;
  return {
    baseUrl,
    sandboxUrl: `${baseUrl}${SANDBOX_PREFIX}`,
    /** The app's Toss client for this server, for tRPC callers built in tests. */
    toss,
    recovery,
    server,
    /** Stops the server; `graceMs` lets requests in flight finish first (the app's SIGTERM does 10 s). */
    close: async (graceMs = 0) => {
      sender?.stop();
      await closeServer(server, graceMs);
      await recovery?.stop();
    },
  };
}
