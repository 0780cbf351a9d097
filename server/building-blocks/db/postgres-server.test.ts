import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryOnce } from '../../test/wait';
import { ensureDatabase, startEmbeddedPostgres, withDatabase } from './postgres-server';

/** The database `npm start` uses on a machine with none: a real PostgreSQL whose data survives restarts. */

let dir = '';
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('initialises once, and keeps its data across a stop and a start', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'embedded-pg-'));
    await chmod(dir, 0o755); // as root, PostgreSQL runs as the postgres OS user and must reach it

    const first = await startEmbeddedPostgres(dir);
    const url = withDatabase(first.adminUrl, 'kept');
    try {
      await ensureDatabase(url);
      await queryOnce(url, 'CREATE TABLE note (text text); INSERT INTO note VALUES ($$still here$$)');
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres(dir);
    try {
      expect(second.adminUrl).toBe(first.adminUrl); // same port and password, read from its settings
      expect(await queryOnce(url, 'SELECT text FROM note')).toEqual([{ text: 'still here' }]);
    } finally {
      await second.stop();
    }
  });
});
