/**
 * The dependency rules of docs/architecture.md, checked by `npm run lint` (and so by `npm test`).
 * Tiers: building blocks ← use cases ← entry points. The Toss sandbox, the benchmark and the test
 * helpers are apart from the product: the product never imports them.
 */
const PRODUCT = '^(server/(building-blocks|use-cases|entry-points)|app)/';

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No file imports itself back through others (type-only imports count too).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    // Tests may exercise a whole stack (a use case through its tRPC procedure), so tier rules skip them.
    {
      name: 'building-blocks-import-no-use-case',
      comment:
        'Building blocks are the bottom tier: they use each other, never a use case or an entry point.',
      severity: 'error',
      from: { path: '^server/building-blocks/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/(use-cases|entry-points)/' },
    },
    {
      name: 'use-cases-import-no-entry-point',
      comment: 'Use cases know nothing of tRPC, HTTP, the janitor or the CLIs.',
      severity: 'error',
      from: { path: '^server/use-cases/', pathNot: '\\.test\\.ts$' },
      to: { path: '^server/entry-points/' },
    },
    {
      name: 'product-imports-no-test-double-or-tool',
      comment:
        'The product never imports the Toss sandbox, the benchmark or the test helpers; the sandbox is mounted in sandbox mode only, by its one mount point.',
      severity: 'error',
      from: { path: PRODUCT, pathNot: ['\\.test\\.ts$', '^server/entry-points/sandbox-mount\\.ts$'] },
      to: { path: '^server/(sandbox|bench|test)/' },
    },
    {
      name: 'only-repositories-use-the-prisma-client',
      comment:
        "Only repositories (and the database module, and the balance strategies that write the wallet row) use Prisma's generated client at run time; others may import its types.",
      severity: 'error',
      from: {
        path: PRODUCT,
        pathNot: [
          '\\.repository\\.ts$',
          '^server/building-blocks/db/',
          '^server/building-blocks/ledger/strategies/',
          '\\.test\\.ts$',
        ],
      },
      to: { path: '^server/building-blocks/db/generated/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules|^server/building-blocks/db/generated/' },
    exclude: { path: '(^|/)(node_modules|\\.next)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] },
  },
};
