import { NO_CONTROL_CHARACTERS } from '@/server/building-blocks/patterns';

/**
 * Where to go after signing in (`/sign-in?next=/checkout?intent=…`): a path on this site only. Anything
 * else (another host, `//host`, `/\host`, a scheme) is ignored, so a link cannot send a learner away.
 */
export function returnPath(next: string | string[] | undefined): string | null {
  if (typeof next !== 'string' || next.length > 4096) return null;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return NO_CONTROL_CHARACTERS.test(next) ? next : null;
}

/** The sign-in page, coming back to `path` afterwards. */
export function signInReturningTo(path: string): string {
  return `/sign-in?next=${encodeURIComponent(path)}`;
}
