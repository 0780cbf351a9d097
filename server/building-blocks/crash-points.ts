/**
 * Named points in the confirm path where the crash tests kill the server (SIGKILL), to prove that an
 * order always ends APPROVED with one effect or FAILED with none, whatever instant the process dies:
 *
 * - `after-claim`: the order is CONFIRMING and Toss has not been asked yet;
 * - `after-toss-answer`: Toss has answered (and may have approved); nothing of it is recorded;
 * - `inside-approval`: the approval transaction has written everything but not committed;
 * - `after-approval`: committed, but the browser never gets the answer.
 *
 * Inert unless PAYMENT_CRASH_POINT names the point; only the crash tests set it.
 */
export type CrashPoint = 'after-claim' | 'after-toss-answer' | 'inside-approval' | 'after-approval';

export function crashPoint(point: CrashPoint): void {
  if (process.env.PAYMENT_CRASH_POINT === point) process.kill(process.pid, 'SIGKILL');
}
