import { TRPCClientError } from '@trpc/client';
import { errorMessage } from './error-message';

/** The admin's input schemas speak Korean: show their messages as they are, without field paths. */
export function adminErrorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { reason?: string; issues?: { message: string }[] } | undefined;
    if (data?.reason === 'INVALID_INPUT' && data.issues?.length) {
      return data.issues.map((i) => i.message).join(' ');
    }
  }
  return errorMessage(error);
}

export function isForbidden(error: unknown): boolean {
  return (
    error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'FORBIDDEN'
  );
}

/** A whole number of won typed as digits only, or null: nothing typed is ever rewritten into a number. */
export function wholeWon(text: string): number | null {
  const trimmed = text.trim().replaceAll(',', '');
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : null;
}

/** The domain reason a refusal names, if any. */
export function reasonOf(error: unknown): string | undefined {
  return error instanceof TRPCClientError
    ? (error.data as { reason?: string } | undefined)?.reason
    : undefined;
}
