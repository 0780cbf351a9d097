import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller, TEST_SEALING_KEY_TEXT } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';
import { createServiceClient, errorReason } from '../trpc/client';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let t: TestDatabase;
let server: Awaited<ReturnType<typeof startTestHttpServer>>;
beforeAll(async () => {
  t = await createTestDatabase();
  server = await startTestHttpServer(t.db);
});
afterAll(async () => {
  await server?.close();
  await t.drop();
});

/**
 * The service-key CLI with `args` against the test database. `viaNpm` runs it exactly as the README
 * shows, `npm run -s service-key -- ...args` (half a second slower); otherwise the script runs directly.
 */
function serviceKey(
  args: string[],
  env: Record<string, string> = { SERVICE_KEY_ENCRYPTION_KEY: TEST_SEALING_KEY_TEXT },
  { viaNpm = false } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const [command, commandArgs] = viaNpm
    ? ['npm', ['run', '-s', 'service-key', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'server/entry-points/cli/service-key.ts', ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: t.url,
        ...env,
      },
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run service-key', () => {
  it('makes a key whose secret is printed once and signs requests; lists, rotates and revokes it', async () => {
    const { user } = await signedInCaller(t.db);
    // Through npm as the README shows it: with -s npm prints no banner, so stdout is the JSON alone.
    const created = await serviceKey(
      ['create', '--name', 'course service', '--scopes', 'orders:write,wallet:read', '--json'],
      undefined,
      { viaNpm: true },
    );
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/^\{.*\}\n$/);
    const printed = JSON.parse(created.stdout) as { keyId: string; secret: string; scopes: string[] };
    expect(Object.keys(printed)).toEqual(['keyId', 'secret', 'scopes']);
    expect(printed.keyId).toMatch(/^pk_[0-9A-Za-z]{24}$/);
    expect(printed.scopes).toEqual(['orders:write', 'wallet:read']);

    const payments = createServiceClient({
      url: server.baseUrl,
      keyId: printed.keyId,
      secret: printed.secret,
    });
    expect(await payments.service.wallet.get.query({ userEmail: user.email })).toMatchObject({ balance: 0 });

    const listed = await serviceKey(['list']);
    expect(listed.stdout).toContain(printed.keyId);
    expect(listed.stdout).toContain('course service');
    expect(listed.stdout).toContain('orders:write,wallet:read');
    expect(listed.stdout).not.toContain(printed.secret);

    const rotated = await serviceKey(['rotate', printed.keyId, '--overlap-hours', '2']);
    expect(rotated.status).toBe(0);
    const newSecret = rotated.stdout.match(/new secret: +(\S+)/)?.[1] ?? '';
    expect(newSecret).toMatch(/^sk_/);
    expect(rotated.stdout).toContain('The old secret keeps working until');
    const renewed = createServiceClient({ url: server.baseUrl, keyId: printed.keyId, secret: newSecret });
    expect(await renewed.service.wallet.get.query({ userId: user.id })).toMatchObject({ balance: 0 });
    expect(await payments.service.wallet.get.query({ userId: user.id })).toMatchObject({ balance: 0 });
    expect((await serviceKey(['list'])).stdout).toContain('previous secret valid until');

    const revoked = await serviceKey(['revoke', printed.keyId]);
    expect(revoked.stdout).toContain(`${printed.keyId} (course service) is revoked`);
    expect(await renewed.service.wallet.get.query({ userId: user.id }).catch(errorReason)).toBe(
      'SERVICE_KEY_REVOKED',
    );
    const again = await serviceKey(['revoke', printed.keyId]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`no active key ${printed.keyId}`);
  });

  it('says what to set without SERVICE_KEY_ENCRYPTION_KEY, and what is wrong with bad arguments', async () => {
    const keysBefore = await t.db.serviceKey.count();
    const missing = await serviceKey(['create', '--name', 'x', '--scopes', 'orders:read'], {});
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('SERVICE_KEY_ENCRYPTION_KEY is not set');
    expect(missing.stderr).toContain('openssl rand -base64 32');

    const unknownScope = await serviceKey(['create', '--name', 'x', '--scopes', 'orders:read,orders:delete']);
    expect(unknownScope.status).toBe(2);
    expect(unknownScope.stderr).toContain('unknown scope orders:delete');

    const noName = await serviceKey(['create', '--scopes', 'orders:read']);
    expect(noName.status).toBe(2);
    expect(noName.stderr).toContain('--name');

    const unknownKey = await serviceKey(['rotate', 'pk_000000000000000000000000']);
    expect(unknownKey.status).toBe(1);
    expect(unknownKey.stderr).toContain('no active key pk_000000000000000000000000');
    expect(await t.db.serviceKey.count()).toBe(keysBefore);
  });
});
