import { procedurePaths } from '../../test/fuzz-oracle';
import { fuzzSuite } from '../../test/fuzz-suite';

/**
 * Every bad input is a clean refusal (server/test/fuzz-suite.ts): every other procedure, then batches
 * of odd paths, the webhook receiver, and the check that every kind of refusal was reached. The other
 * procedures are fuzzed in fuzz.other-half.test.ts, which runs side by side with this file.
 */
fuzzSuite(
  procedurePaths.filter((_, i) => i % 2 === 0),
  { withEdgeCases: true },
);
