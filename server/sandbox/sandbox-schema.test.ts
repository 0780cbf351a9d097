import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverPool } from '../building-blocks/db/client';
import { DOCS_TEST_KEYS, tossConfigFrom } from '../building-blocks/toss/toss-config';
import { mountSandbox } from '../entry-points/sandbox-mount';
import { createTestDatabase, type TestDatabase } from '../test/database';
import { TEST_SANDBOX_CONTROL_SECRET } from '../test/sandbox';
import { startSandbox } from './sandbox';
import { SANDBOX_SCHEMA } from './sandbox-store';

/**
 * The sandbox is a module apart: the product's migrations create none of its tables, it creates its own
 * schema when sandbox mode starts (any number of times, from any number of processes at once), and the
 * product reaches it only through the one mount point.
 */

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase(); // a copy of a database built only from prisma/migrations
});
afterAll(async () => {
  await t.drop();
});

const tossEnv = {
  TOSS_READ_TIMEOUT_MS: 60_000,
  TOSS_SANDBOX_CONFIRM_WINDOW_MS: 600_000,
  PORT: 3000,
  TOSS_SANDBOX_WEBHOOK_TIME_SCALE: 1,
};

async function sandboxTables(): Promise<string[]> {
  const { rows } = await driverPool(t.db).query<{ table: string }>(
    `SELECT table_schema || '.' || table_name AS table FROM information_schema.tables
      WHERE table_schema = $1 OR table_name LIKE 'toss\\_sandbox%' ORDER BY 1`,
    [SANDBOX_SCHEMA],
  );
  return rows.map((r) => r.table);
}

const sandboxConfig = (db: pg.Pool) => ({
  db,
  secretKey: DOCS_TEST_KEYS.secretKey,
  controlSecret: TEST_SANDBOX_CONTROL_SECRET,
  confirmWindowMs: 600_000,
});

describe('the sandbox’s own schema', () => {
  it('is not made by the migrations: a freshly migrated database has no sandbox tables', async () => {
    expect(await sandboxTables()).toEqual([]);
  });

  it('is not made in real mode, where the sandbox is not mounted at all', async () => {
    const live = tossConfigFrom({
      ...tossEnv,
      TOSS_CLIENT_KEY: 'live_gck_abc',
      TOSS_SECRET_KEY: 'live_gsk_abc',
    });
    expect(await mountSandbox(t.db, live)).toBeNull();
    expect(await sandboxTables()).toEqual([]);
  });

  it('is made when the sandbox starts, by several processes at once, and kept by later starts', async () => {
    const pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: t.url, max: 2 }));
    try {
      await Promise.all(pools.map((pool) => startSandbox(sandboxConfig(pool))));
      const tables = [
        'toss_sandbox.faults',
        'toss_sandbox.idempotency_keys',
        'toss_sandbox.payments',
        'toss_sandbox.transactions',
        'toss_sandbox.webhooks',
      ];
      expect(await sandboxTables()).toEqual(tables);

      // A shopper pays; a restart (the app's own mount, sandbox mode) keeps the payment.
      const [first] = await Promise.all(pools.map((pool) => startSandbox(sandboxConfig(pool))));
      const approved = await first?.handle(
        new Request('http://127.0.0.1/api/toss-sandbox/v1/sandbox/payments', {
          method: 'POST',
          body: JSON.stringify({
            orderId: 'schema-test-1',
            orderName: 'x',
            amount: 1_000,
            customerKey: 'c-1',
          }),
        }),
      );
      expect(approved?.status).toBe(200);
      const sandbox = await mountSandbox(t.db, tossConfigFrom({ ...tossEnv, TOSS_SANDBOX: 'on' }));
      expect(sandbox).not.toBeNull();
      expect(await sandboxTables()).toEqual(tables);
      const { rows } = await driverPool(t.db).query('SELECT order_id FROM toss_sandbox.payments');
      expect(rows).toEqual([{ order_id: 'schema-test-1' }]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  it('serves the widget script from server/sandbox', async () => {
    const sandbox = await startSandbox(sandboxConfig(driverPool(t.db)));
    expect(sandbox.widgetScript).toBe(
      await readFile(path.join(import.meta.dirname, 'payment-widget.js'), 'utf8'),
    );
    expect(sandbox.widgetScript).toContain('PaymentWidget');
  });
});

describe('one mount point', () => {
  it('the product (app/, server/ but its sandbox, tests and bench) imports server/sandbox only in sandbox-mount.ts', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const apart = [
      'server/sandbox/',
      'server/test/',
      'server/bench/',
      'server/building-blocks/db/generated/',
    ];
    const files = [
      ...(await readdir(path.join(root, 'server'), { recursive: true })).map((f) => `server/${f}`),
      ...(await readdir(path.join(root, 'app'), { recursive: true })).map((f) => `app/${f}`),
    ]
      .map((f) => f.split(path.sep).join('/'))
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'))
      .filter((f) => !apart.some((dir) => f.startsWith(dir)));
    const importsSandbox = /(from\s+|import\(\s*)['"](\.{1,2}\/)*(@\/server\/)?sandbox\//;
    const importers: string[] = [];
    for (const file of files) {
      if (importsSandbox.test(await readFile(path.join(root, file), 'utf8'))) importers.push(file);
    }
    expect(files.length).toBeGreaterThan(50);
    expect(importers).toEqual(['server/entry-points/sandbox-mount.ts']);
  });
});
