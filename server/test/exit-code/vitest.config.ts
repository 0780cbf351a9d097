import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(import.meta.dirname, '../../..');

/** The real global setup (with the embedded PostgreSQL) around one failing test. */
export default defineConfig({
  root,
  test: {
    include: ['server/test/exit-code/*.fixture.ts'],
    globalSetup: ['server/test/global-setup.ts'],
  },
});
