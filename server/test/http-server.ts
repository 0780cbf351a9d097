import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { incomingMessageToRequest } from '@trpc/server/adapters/node-http';
import type { Db } from '../db/client';
import { handleTrpcRequest } from '../trpc/http-handler';
import { TEST_AUTH } from './fixtures';

/**
 * Serves the same request handler as app/api/trpc over real HTTP on a random local port, against the
 * test file's own database: HTTP tests see exactly what a remote caller sees (status codes, cookies).
 */
export async function startTestHttpServer(db: Db) {
  const server = http.createServer(async (req, res) => {
    try {
      const request = incomingMessageToRequest(req, res, { maxBodySize: 1_000_000 });
      const response = await handleTrpcRequest(request, { db, auth: TEST_AUTH });
      res.statusCode = response.status;
      for (const [key, value] of response.headers) {
        if (key !== 'set-cookie') res.setHeader(key, value);
      }
      const cookies = response.headers.getSetCookie();
      if (cookies.length) res.setHeader('set-cookie', cookies);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
