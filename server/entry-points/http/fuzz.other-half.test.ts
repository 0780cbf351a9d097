import { procedurePaths } from '../../test/fuzz-oracle';
import { fuzzSuite } from '../../test/fuzz-suite';

/** Every bad input is a clean refusal (server/test/fuzz-suite.ts): the procedures fuzz.test.ts leaves. */
fuzzSuite(
  procedurePaths.filter((_, i) => i % 2 === 1),
  { withEdgeCases: false },
);
