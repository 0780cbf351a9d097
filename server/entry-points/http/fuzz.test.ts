import { fuzzSuite } from '../../test/fuzz-suite';

/**
 * Every bad input is a clean refusal (server/test/fuzz-suite.ts): every procedure, then batches of odd
 * paths, the webhook receiver, and the check that every kind of refusal was reached.
 */
fuzzSuite();
