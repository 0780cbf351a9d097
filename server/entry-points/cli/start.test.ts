import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/entry-points/cli/start.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('start-up configuration', () => {
  it('stops with a message naming each malformed or missing variable', () => {
    const result = start({ DATABASE_URL: 'mysql://localhost/app', PORT: 'eighty' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/DATABASE_URL: must be a postgres/);
    expect(result.stderr).toMatch(/SESSION_SECRET: is missing/);
    expect(result.stderr).toMatch(/PORT:/);
  });

  it('names a malformed group commit setting', () => {
    const result = start({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/x',
      SESSION_SECRET: 's'.repeat(40),
      TOSS_SANDBOX: 'on',
      GROUP_COMMIT: 'sometimes',
      GROUP_COMMIT_IN_FLIGHT: '0',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/GROUP_COMMIT:/);
    expect(result.stderr).toMatch(/GROUP_COMMIT_IN_FLIGHT:/);
  });

  it('refuses group commit batches that could take every pooled connection, naming both settings', () => {
    const result = start({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/x',
      SESSION_SECRET: 's'.repeat(40),
      TOSS_SANDBOX: 'on',
      DATABASE_POOL_SIZE: '4',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /GROUP_COMMIT_IN_FLIGHT: with group commit, 4 batches .* lower GROUP_COMMIT_IN_FLIGHT or raise DATABASE_POOL_SIZE above 4/,
    );
  });

  it('refuses a session secret that is too short', () => {
    const result = start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/x', SESSION_SECRET: 'short' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/SESSION_SECRET: must be at least 32 characters/);
  });

  const realDatabase = {
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/x',
    SESSION_SECRET: 's'.repeat(40),
  };

  it('refuses a real database with no Toss keys and no TOSS_SANDBOX=on, naming what to set', () => {
    for (const mode of [{}, { TOSS_SANDBOX: 'off' }] as Record<string, string>[]) {
      const result = start({ ...realDatabase, ...mode });
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/TOSS_CLIENT_KEY, TOSS_SECRET_KEY: are missing/);
      expect(result.stderr).toMatch(/TOSS_SANDBOX=on/);
    }
  });

  it('refuses real Toss keys together with TOSS_SANDBOX=on', () => {
    const result = start({
      ...realDatabase,
      TOSS_SANDBOX: 'on',
      TOSS_CLIENT_KEY: 'live_gck_abc',
      TOSS_SECRET_KEY: 'live_gsk_abc',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /TOSS_SANDBOX: must not be on while TOSS_CLIENT_KEY and TOSS_SECRET_KEY are set/,
    );
  });

  it('refuses ADMIN_EMAILS and says how admins are made now', () => {
    const result = start({ ...realDatabase, TOSS_SANDBOX: 'on', ADMIN_EMAILS: 'boss@example.com' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ADMIN_EMAILS: is no longer read.*npm run admin -- grant EMAIL/);
  });

  it('refuses the demo seed (published passwords) with live Toss keys', () => {
    const result = start({
      ...realDatabase,
      SEED_DEMO_DATA: 'true',
      TOSS_CLIENT_KEY: 'live_gck_abc',
      TOSS_SECRET_KEY: 'live_gsk_abc',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/SEED_DEMO_DATA: must not be true with live Toss keys/);
  });
});
