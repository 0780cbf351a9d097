import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../building-blocks/db/migrate';
import { dropDatabase, ensureDatabase, withDatabase } from '../building-blocks/db/postgres-server';
import { testPostgres } from './postgres';

/**
 * Migrates one template database per run; each test file then gets its own copy (CREATE DATABASE ...
 * TEMPLATE), so files run in parallel, in any order, without seeing each other's rows.
 *
 * Vitest calls this once per project (vitest.config.ts has two groups, and the root counts too), each in
 * its own module instance: the template is made by the first call and shared through `globalThis`, and
 * dropped, with every copy, by the last teardown.
 */
interface SharedTemplate {
  ready: Promise<{ server: Awaited<ReturnType<typeof testPostgres>>; prefix: string; templateUrl: string }>;
  users: number;
}

const KEY = Symbol.for('course-payments.test-template');

async function prepare() {
  const server = await testPostgres(console.log);
  const prefix = `cp_test_${randomBytes(4).toString('hex')}`;
  const templateUrl = withDatabase(server.adminUrl, `${prefix}_template`);
  await ensureDatabase(templateUrl);
  await migrate(templateUrl);
  return { server, prefix, templateUrl };
}

export default async function setup(project: TestProject) {
  const holder = globalThis as { [KEY]?: SharedTemplate };
  holder[KEY] ??= { ready: prepare(), users: 0 };
  const shared = holder[KEY];
  shared.users += 1;
  const { server, prefix, templateUrl } = await shared.ready;

  project.provide('adminUrl', server.adminUrl);
  project.provide('templateUrl', templateUrl);
  project.provide('databasePrefix', prefix);

  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete holder[KEY];
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    await admin.end();
    for (const { datname } of rows) await dropDatabase(withDatabase(server.adminUrl, datname));
    await server.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateUrl: string;
    databasePrefix: string;
  }
}
