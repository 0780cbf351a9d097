import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { incomingMessageToRequest } from '@trpc/server/adapters/node-http';
import type { AuthConfig } from '../auth/auth.service';
import type { Db } from '../db/client';
import { tossExchangeRecorder } from '../payment/payment.repository';
import { startRecoveryWorker } from '../recovery/recovery-worker';
import { handleSandboxRequest, SANDBOX_PREFIX } from '../toss/sandbox/sandbox-handler';
import { startSandboxWebhookSender } from '../toss/sandbox/sandbox-webhooks';
import { createTossClient } from '../toss/toss-client';
import { DOCS_TEST_KEYS } from '../toss/toss-config';
import { handleTrpcRequest } from '../trpc/http-handler';
import { processDelivery, receiveTossWebhook } from '../webhook/toss-webhook';
import { TEST_AUTH } from './fixtures';

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
  /** Auth settings (default TEST_AUTH), e.g. lower sign-in limits. */
  auth?: AuthConfig;
}

/**
 * Serves the same handlers as the app (tRPC at /api/trpc, the Toss sandbox at /api/toss-sandbox) over
 * real HTTP on a random local port, against the test file's own database. The app's Toss client calls
 * the sandbox over that same HTTP, as `npm start` does.
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

  const server = http.createServer(async (req, res) => {
    try {
      const request = incomingMessageToRequest(req, res, { maxBodySize: 1_000_000 });
      const url = req.url ?? '';
      const response = url.startsWith(SANDBOX_PREFIX)
        ? await handleSandboxRequest(request, {
            db,
            secretKey: DOCS_TEST_KEYS.secretKey,
            confirmWindowMs: options.confirmWindowMs ?? 600_000,
            webhookUrl: options.webhooks
              ? (options.webhooks.url ?? `${baseUrl}/api/webhooks/toss`)
              : undefined,
          })
        : url.startsWith('/api/webhooks/toss')
          ? await receiveWebhook(request)
          : await handleTrpcRequest(request, {
              db,
              auth: options.auth ?? TEST_AUTH,
              toss: toss(),
              waitForConfirmMs: options.waitForConfirmMs ?? 15_000,
              clientAddress: req.socket.remoteAddress,
            });
      let body: Buffer;
      try {
        body = Buffer.from(await response.arrayBuffer());
      } catch {
        res.destroy(); // the body failed mid-flight: the client sees its connection drop
        return;
      }
      res.statusCode = response.status;
      for (const [key, value] of response.headers) {
        if (key !== 'set-cookie') res.setHeader(key, value);
      }
      const cookies = response.headers.getSetCookie();
      if (cookies.length) res.setHeader('set-cookie', cookies);
      res.end(body);
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  /** The same steps as app/api/webhooks/toss: record, answer 200, then act in the background. */
  async function receiveWebhook(request: Request) {
    const received = await receiveTossWebhook(db, request);
    if (received.status === 200 && received.deliveryId) {
      void processDelivery(
        {
          db,
          toss: toss(),
          waitForConfirmMs: 0,
          staleConfirmingMs: options.recovery?.staleConfirmingMs ?? 15_000,
        },
        received.deliveryId,
      ).catch(() => {});
    }
    return Response.json(received.body, { status: received.status });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
  const sender = options.webhooks
    ? startSandboxWebhookSender(db, {
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
    close: async () => {
      sender?.stop();
      await recovery?.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
