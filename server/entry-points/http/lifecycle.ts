import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { logger } from '../../building-blocks/log';

export async function listen(server: http.Server, port: number, host?: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Stops accepting connections and waits for the requests in flight to finish, at most `timeoutMs`
 * (then the connections still open are cut). Idle keep-alive connections are closed as they go idle,
 * so one open browser tab cannot hold the shutdown.
 */
export async function closeServer(server: http.Server, timeoutMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => {
    logger.warn({ timeoutMs }, 'requests still in flight at the shutdown deadline; closing them');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearInterval(idle);
  clearTimeout(deadline);
}

/**
 * On SIGTERM or SIGINT, runs `stop` once (finish requests, the janitor's job, close pools) and exits 0;
 * 1 if stopping failed. A second signal during the stop is ignored; `stop` bounds its own time.
 */
export function exitGracefullyOnSignal(stop: () => Promise<void>) {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error) => {
        logger.error({ err: String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
