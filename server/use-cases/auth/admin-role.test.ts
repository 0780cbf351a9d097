import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentClient, errorReason } from '../../entry-points/trpc/client';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { signedInCaller, uniqueEmail } from '../../test/fixtures';
import { startTestHttpServer } from '../../test/http-server';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/**
 * `npm run admin -- ...args` against the test database, as an operator with database access runs it.
 * Asynchronous: the test's HTTP server lives in this process and must keep answering meanwhile.
 */
function admin(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/entry-points/cli/admin.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'test',
        DATABASE_URL: t.url,
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

describe('npm run admin', () => {
  it('grants and revokes the role of an existing account, effective at once, with an audit trail', async () => {
    const server = await startTestHttpServer(t.db);
    try {
      const email = uniqueEmail('operator');
      const { token } = await createPaymentClient({ baseUrl: server.baseUrl }).auth.signUp.mutate({
        email,
        password: 'password-1234',
        name: 'operator',
      });
      const operator = createPaymentClient({ baseUrl: server.baseUrl, token });
      const alerts = () =>
        operator.admin.alerts.query().then(
          () => 'OK',
          (error) => errorReason(error),
        );
      expect(await alerts()).toBe('FORBIDDEN');
      expect(await operator.auth.me.query()).toMatchObject({ isAdmin: false });

      const granted = await admin(
        'grant',
        email.toUpperCase(),
        '--reason',
        'on-call operator',
        '--by',
        'kim',
      );
      expect(granted.stdout).toContain(`${email} is now an admin.`);
      expect(granted.status).toBe(0);
      // The role is read with every session check: the session the operator already has is now an admin's.
      expect(await alerts()).toBe('OK');
      expect(await operator.auth.me.query()).toMatchObject({ isAdmin: true });
      expect((await admin('list')).stdout).toContain(email);

      const revoked = await admin('revoke', email, '--reason', 'left the team', '--by', 'lee');
      expect(revoked.status).toBe(0);
      expect(await alerts()).toBe('FORBIDDEN');

      const user = await t.db.user.findUniqueOrThrow({ where: { email } });
      const trail = await t.db.roleChange.findMany({
        where: { userId: user.id },
        orderBy: { createdAt: 'asc' },
      });
      expect(trail.map((c) => [c.action, c.role, c.reason, c.changedBy])).toEqual([
        ['GRANT', 'ADMIN', 'on-call operator', 'kim'],
        ['REVOKE', 'LEARNER', 'left the team', 'lee'],
      ]);
      // The trail is append-only.
      await expect(t.db.roleChange.deleteMany({ where: { userId: user.id } })).rejects.toThrow(/append-only/);
    } finally {
      await server.close();
    }
  });

  it('refuses an unknown email, a missing reason and bad usage, changing nothing', async () => {
    const unknown = await admin('grant', 'nobody-here@example.com', '--reason', 'x');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/No account has the email nobody-here@example.com/);

    const user = await signedInCaller(t.db, 'no-reason');
    const noReason = await admin('grant', user.user.email);
    expect(noReason.status).toBe(1);
    expect(noReason.stderr).toMatch(/--reason/);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.user.id } })).role).toBe('LEARNER');

    const usage = await admin('promote', user.user.email);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/usage:/);
    expect(await t.db.roleChange.count({ where: { userId: user.user.id } })).toBe(0);
  });
});
