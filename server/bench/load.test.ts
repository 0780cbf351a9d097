import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoadInTurns } from './load';

/** Two local HTTP servers, one answering at once and one after 30 ms, each noting when it was asked. */
const asked: { server: 'fast' | 'slow'; at: number }[] = [];
const servers: Server[] = [];
const ports: number[] = [];

beforeAll(async () => {
  for (const [name, delayMs] of [
    ['fast', 0],
    ['slow', 30],
  ] as const) {
    const server = createServer((_req, res) => {
      asked.push({ server: name, at: performance.now() });
      setTimeout(() => res.end('ok'), delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    ports.push((server.address() as AddressInfo).port);
  }
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('runLoadInTurns', () => {
  it('measures each target in turns, one second each, and keeps their latencies apart', async () => {
    const request = { method: 'GET' as const, path: '/', build: () => ({ headers: {} }) };
    const [fast, slow] = await runLoadInTurns(
      ports.map((port) => ({ ports: [port], request, appPids: [] })),
      1,
      2,
    );
    expect(slow?.p50).toBeGreaterThanOrEqual(30);
    expect(fast?.p50).toBeLessThan(slow?.p50 ?? 0);
    expect(fast?.errors).toBe(0);
    expect(slow?.rps).toBeGreaterThan(0);
    // In turns: fast, slow, fast, slow. Each server's requests come in two runs, the other's between.
    const turns = asked.map((a) => a.server).filter((name, i, all) => name !== all[i - 1]);
    expect(turns).toEqual(['fast', 'slow', 'fast', 'slow']);
  });
});
