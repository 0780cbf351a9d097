import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { checkInvariants } from '../use-cases/admin/invariants';
import { createTestDatabase, type TestDatabase } from './database';
import { signedInCaller } from './fixtures';
import { startTestHttpServer, type TestServerOptions } from './http-server';
import { clearFaults } from './sandbox';

export interface CardSuite {
  t: TestDatabase;
  server: Awaited<ReturnType<typeof startTestHttpServer>>;
  /** A granted admin, acting through this server's Toss client. */
  admin: Awaited<ReturnType<typeof signedInCaller>>;
}

/**
 * The setup of a test file about card payments: its own database, an HTTP server with the sandbox, an
 * admin; faults cleared after each test and, with `checkBooks`, the books' invariants checked too. The
 * fields are filled in before the file's own beforeAll hooks run.
 */
export function cardSuite(options: { server?: TestServerOptions; checkBooks?: boolean } = {}): CardSuite {
  const suite = {} as CardSuite;
  beforeAll(async () => {
    suite.t = await createTestDatabase({ poolSize: 30 });
    suite.server = await startTestHttpServer(suite.t.db, options.server);
    suite.admin = await signedInCaller(suite.t.db, 'admin', { toss: suite.server.toss(), admin: true });
  });
  afterEach(async () => {
    await clearFaults(suite.server.sandboxUrl);
    if (options.checkBooks) expect(await checkInvariants(suite.t.db)).toEqual([]);
  });
  afterAll(async () => {
    await suite.server.close();
    await suite.t.drop();
  });
  return suite;
}
