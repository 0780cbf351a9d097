import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { queryOnce } from '../../test/wait';
import { MIGRATIONS_DIR, migrate, readMigrations } from './migrate';
import { dropDatabase, ensureDatabase, withDatabase } from './postgres-server';

const created: string[] = [];
let counter = 0;

async function emptyDatabase(): Promise<string> {
  const url = withDatabase(
    inject('adminUrl'),
    `${inject('databasePrefix')}_migrate_${process.pid}_${counter++}`,
  );
  await ensureDatabase(url);
  created.push(url);
  return url;
}

afterAll(async () => {
  for (const url of created) await dropDatabase(url);
});

describe('migrate', () => {
  it('applies every migration once, in order, recorded as prisma migrate deploy records them', async () => {
    const url = await emptyDatabase();
    const migrations = await readMigrations();
    const first = await migrate(url);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await migrate(url);
    expect(second).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });

    const rows = await queryOnce<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at',
    );
    const firstName = migrations[0]?.name ?? '';
    const sql = await readFile(path.join(MIGRATIONS_DIR, firstName, 'migration.sql'));
    expect(rows[0]).toMatchObject({
      migration_name: firstName,
      checksum: createHash('sha256').update(sql).digest('hex'),
      applied_steps_count: 1,
    });
    expect(rows[0]?.finished_at).toBeInstanceOf(Date);
    expect(rows).toHaveLength(migrations.length);
  });

  it('applies once when several processes migrate at the same moment (advisory lock)', async () => {
    const url = await emptyDatabase();
    const results = await Promise.all(Array.from({ length: 5 }, () => migrate(url)));
    expect(results.flatMap((r) => r.applied)).toEqual((await readMigrations()).map((m) => m.name));
    const rows = await queryOnce<{ n: string }>(url, 'SELECT count(*) AS n FROM _prisma_migrations');
    expect(Number(rows[0]?.n)).toBe((await readMigrations()).length);
  });

  it('rolls a failing migration back whole, records nothing, and applies later ones in order', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    const write = async (name: string, sql: string) => {
      await mkdir(path.join(dir, name));
      await writeFile(path.join(dir, name, 'migration.sql'), sql);
    };
    await write('001_a', 'CREATE TABLE a (id int);');
    await write('002_b', 'CREATE TABLE b (id int); SELECT 1/0;');
    const url = await emptyDatabase();

    await expect(migrate(url, { dir })).rejects.toThrow(/002_b failed and was rolled back/);
    const tables = await queryOnce<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(tables.map((r) => r.table_name)).toEqual(['_prisma_migrations', 'a']);

    await writeFile(path.join(dir, '002_b', 'migration.sql'), 'CREATE TABLE b (id int);');
    await write('003_c', 'ALTER TABLE b ADD COLUMN name text;');
    expect((await migrate(url, { dir })).applied).toEqual(['002_b', '003_c']);
  });

  it('refuses to run when an applied migration was edited, naming it, and applies nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    const write = async (name: string, sql: string) => {
      await mkdir(path.join(dir, name), { recursive: true });
      await writeFile(path.join(dir, name, 'migration.sql'), sql);
    };
    await write('001_a', 'CREATE TABLE a (id int);');
    const url = await emptyDatabase();
    await migrate(url, { dir });

    await write('001_a', 'CREATE TABLE a (id int, extra text);');
    await write('002_b', 'CREATE TABLE b (id int);');
    await expect(migrate(url, { dir })).rejects.toThrow(/Migration 001_a was changed after it was applied/);
    const tables = await queryOnce<{ table_name: string }>(
      url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(tables.map((r) => r.table_name)).toEqual(['_prisma_migrations', 'a']);
  });

  it('brings a database that applied the first wallet_change_once through its replacement, then drops it', async () => {
    const url = await emptyDatabase();
    const migrations = await readMigrations();
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    // The database as it was before 20261124010000 was edited: its first version, and nothing after.
    const firstVersion = path.join(import.meta.dirname, 'test-data', 'wallet_change_once.v1.sql');
    for (const m of migrations.filter((m) => m.name <= '20261124010000_wallet_change_once')) {
      await mkdir(path.join(dir, m.name));
      const sql =
        m.name === '20261124010000_wallet_change_once' ? await readFile(firstVersion, 'utf8') : m.sql;
      await writeFile(path.join(dir, m.name, 'migration.sql'), sql);
    }
    await migrate(url, { dir });
    const source = async () =>
      (
        await queryOnce<{ src: string }>(
          url,
          "SELECT prosrc AS src FROM pg_proc WHERE proname = 'wallet_change_once'",
        )
      )[0]?.src;
    expect(await source()).not.toContain('lock_timeout');

    // Up to the migration that replaced it: the version with a lock_timeout.
    const untilReplaced = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    for (const m of migrations.filter((m) => m.name <= '20261201010000_wallet_change_once_again')) {
      await mkdir(path.join(untilReplaced, m.name));
      await writeFile(path.join(untilReplaced, m.name, 'migration.sql'), m.sql);
    }
    const result = await migrate(url, { dir: untilReplaced });
    expect(result.applied).toContain('20261201010000_wallet_change_once_again');
    expect(await source()).toContain('lock_timeout');

    // And on to the latest, which drops it (the batch statement replaced it).
    await migrate(url);
    expect(await source()).toBeUndefined();
  });
});
