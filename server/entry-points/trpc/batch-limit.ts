/**
 * Calls in one tRPC batch request. The server refuses more (400, before any runs) so that one anonymous
 * request cannot queue hundreds of password hashes; the clients split their batches at the same size.
 */
export const MAX_BATCH_CALLS = 10;
