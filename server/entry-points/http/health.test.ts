import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../building-blocks/db/client';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { checkHealth } from './health';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('health', () => {
  it('reports the database up when it answers', async () => {
    expect(await checkHealth(t.db)).toEqual({ status: 'ok', database: 'up' });
  });

  it('reports it down when it cannot be reached', async () => {
    const unreachable = createDb('postgresql://postgres@127.0.0.1:1/nothing', 1);
    expect(await checkHealth(unreachable, 2_000)).toEqual({ status: 'unavailable', database: 'down' });
    await unreachable.$disconnect();
  });
});
